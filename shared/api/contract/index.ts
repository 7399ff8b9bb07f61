import type { z } from 'zod';
import { articleChannels } from './articles';
import { importChannels } from './import';
import { notificationChannels } from './notifications';
import { packageChannels } from './packages';
import { proofreadChannels } from './proofread';
import { publishChannels } from './publish';
import { reviewChannels } from './review';
import { sessionChannels } from './session';
import { siteChannels } from './sites';
import { syncChannels } from './sync';
import { workspaceChannels } from './workspace';
import type { AppEvent, AppEventPayload } from './events';

export * from './articles';
export type { ExportedFile } from './channel';
export * from './events';
export * from './import';
export * from './notifications';
export * from './packages';
export * from './proofread';
export * from './publish';
export * from './review';
export * from './session';
export * from './sites';
export * from './sync';
export * from './workspace';

/**
 * The one API between the renderer and the main side. Both transports (Electron
 * IPC and the local web host) carry exactly these channels; every request is
 * parsed with its schema on the main side before a handler sees it.
 *
 * Each feature file defines its channels, with what each does, who may call it
 * and what it returns. Every channel except session:*, settings:get and
 * workspace:info needs a signed-in person (else `unauthorized`); refusals by
 * role or article state are `forbidden`, with a ready Chinese `detail`.
 * A new channel goes into its feature file, gets a handler in
 * node/services/api-handlers.ts and a line in electron/ipc/channels.ts (the
 * type checks there fail until it has one).
 */
export const contract = {
  ...articleChannels,
  ...importChannels,
  ...workspaceChannels,
  ...sessionChannels,
  ...reviewChannels,
  ...packageChannels,
  ...siteChannels,
  ...publishChannels,
  ...proofreadChannels,
  ...notificationChannels,
  ...syncChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];
/** What the caller passes (defaults may be omitted). */
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
/** What the handler receives, after parsing. */
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = Contract[C]['response'];

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name);
}

/** Who is calling: the transport and the caller's session (`ipc:<webContents id>`, a browser's cookie, or `cli`). */
export interface CallContext {
  transport: 'ipc' | 'http' | 'cli';
  /** The services map it to the signed-in person; '' means no session (nothing but session:* and public reads work). */
  sessionId: string;
}

export type ApiHandlers = {
  [C in Channel]: (request: ParsedRequestOf<C>, context: CallContext) => Promise<ResponseOf<C>>;
};

/** What the renderer holds; it never learns which transport is behind it. */
export interface Transport {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** A URL the page can load an article's asset from (`src` as stored in the doc). */
  assetUrl(articleId: string, src: string): string;
  /**
   * Listens for an event the main side sends unasked (see ./events.ts);
   * returns the way to stop. A transport without such events (the web host)
   * simply never calls the listener.
   */
  onEvent<E extends AppEvent>(event: E, listener: (payload: AppEventPayload<E>) => void): () => void;
}
