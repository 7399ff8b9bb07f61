import { useEffect, useRef } from 'react';
import type { Transport } from '../../../shared/api/contract';
import { type AppCommand, type AppCommandRequest, commandForKey, shortcutLabel } from '../../../shared/domain/app-commands';
import { pushToast } from '../state/notifications';
import { translateNow } from '../state/settings';

/*
 * The app's commands (新建文稿, 导入, 导出, 打印, 保存版本, open a recent
 * article), reached the same way from a shortcut, a desktop menu or a button.
 * Screens register what a command does while they are shown: 打印 means the
 * open article's print preview, so it has a handler only while one is open.
 */

/** Runs the command; returning `false` passes it on (导出 as Word is the 公文 tools' business, as JSON the editor's). */
type Handler = (request: AppCommandRequest) => unknown;

/** Per command, the handlers of the screens now shown; the latest registered is asked first. */
const handlers = new Map<AppCommand, Handler[]>();

/** Makes `handler` run `command` until the returned function is called. */
export function handleCommand(command: AppCommand, handler: Handler): () => void {
  const list = handlers.get(command) ?? [];
  list.push(handler);
  handlers.set(command, list);
  return () => {
    const current = handlers.get(command) ?? [];
    handlers.set(
      command,
      current.filter((item) => item !== handler),
    );
  };
}

/** Runs the command; without a screen to run it (打印 on the list), says that it needs an open article. */
export function runCommand(request: AppCommandRequest): boolean {
  for (const handler of [...(handlers.get(request.command) ?? [])].reverse()) {
    if (handler(request) !== false) return true;
  }
  pushToast('info', translateNow('menu.needsArticle'));
  return false;
}

/** Registers the handler while the calling component is mounted; the latest `handler` is always the one called. */
export function useCommand(command: AppCommand, handler: Handler): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => handleCommand(command, (request) => latest.current(request)), [command]);
}

export const isMacPlatform = (): boolean => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The label with the command's shortcut, for a tooltip: `保存版本（Ctrl+S）`. */
export function withShortcut(label: string, command: AppCommand): string {
  const shortcut = shortcutLabel(command, isMacPlatform());
  return shortcut ? translateNow('editor.tooltip', { label, shortcut }) : label;
}

/** The `aria-keyshortcuts` value of the command's shortcut. */
export function ariaShortcut(command: AppCommand): string | undefined {
  const shortcut = shortcutLabel(command, false);
  return shortcut ? shortcut.replace('Ctrl', isMacPlatform() ? 'Meta' : 'Control') : undefined;
}

/**
 * Listens for the commands' shortcuts on the page and for the desktop menu's
 * choices. A shortcut is taken before the editor or the browser sees it (the
 * browser's own 打印 and 保存网页 would otherwise open); in the desktop app
 * the menu shows the same keys without registering them, so a key press
 * arrives here only, and runs the command once. While a dialog is open the
 * keys do nothing but are still kept from the browser: the dialog is the
 * person's current business.
 */
export function startCommandInput(transport: Pick<Transport, 'onEvent'>, target: Window = window): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.repeat && commandForKey(event, isMacPlatform())) {
      event.preventDefault();
      return;
    }
    const command = commandForKey(event, isMacPlatform());
    if (!command) return;
    event.preventDefault();
    event.stopPropagation();
    if (!dialogOpen()) runCommand({ command });
  };
  const dialogOpen = () => target.document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
  target.addEventListener('keydown', onKeyDown, true);
  const stopMenu = transport.onEvent('menu:command', (request) => {
    if (!dialogOpen()) runCommand(request);
  });
  return () => {
    target.removeEventListener('keydown', onKeyDown, true);
    stopMenu();
  };
}
