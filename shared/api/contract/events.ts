import { z } from 'zod';
import { APP_COMMANDS, EXPORT_FORMATS } from '../../domain/app-commands';
import { ArticleIdSchema } from './channel';

/**
 * What the main side may tell the page unasked: the other direction of the
 * API. Like a channel, each event declares who may receive it, and the main
 * side sends it only to a window whose session passes that check (deny by
 * default: an event without a declaration is never sent). Its payload is
 * parsed with its schema before sending, and the preload passes on only the
 * payload, never an IPC event object.
 *
 * The web host has no native menu, so it has no events to send; its page
 * reaches the same commands by keyboard and buttons.
 */
export const appEvents = {
  /**
   * A desktop menu item was chosen (文件 → 新建文稿, 导入, 导出, 打印, 保存版本, a
   * recent article): the page runs the command as if its own shortcut or
   * button had been used, under the same channel checks. Signed-in windows only.
   */
  'menu:command': {
    access: 'signedIn',
    payload: z.strictObject({
      command: z.enum(APP_COMMANDS),
      articleId: ArticleIdSchema.optional(),
      format: z.enum(EXPORT_FORMATS).optional(),
    }),
  },
} as const satisfies Record<string, { access: 'anyone' | 'signedIn'; payload: z.ZodType }>;

export type AppEvent = keyof typeof appEvents;
export type AppEventPayload<E extends AppEvent> = z.output<(typeof appEvents)[E]['payload']>;

export function isAppEvent(name: string): name is AppEvent {
  return Object.hasOwn(appEvents, name);
}
