/**
 * The app's commands that a desktop menu, a keyboard shortcut and a button
 * all reach: one list, so the 文件 menu, the page's key handler and the
 * tooltips can never disagree about which key does what.
 */
export const APP_COMMANDS = ['newArticle', 'import', 'export', 'print', 'saveVersion', 'openArticle'] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

/** The files 导出 can make of the open article. */
export const EXPORT_FORMATS = ['docx', 'pdf', 'html', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One command as it travels from a menu to the page (`articleId` only for openArticle, `format` only for export). */
export interface AppCommandRequest {
  command: AppCommand;
  articleId?: string;
  format?: ExportFormat;
}

/**
 * The shortcut letter of each command that has one, pressed with Ctrl (⌘ on
 * macOS). Chosen as every desktop editor does: N new, O open (import), P
 * print, S save (here: a named version, since text is saved as it is typed).
 */
export const COMMAND_KEYS: Partial<Record<AppCommand, 'N' | 'O' | 'P' | 'S'>> = {
  newArticle: 'N',
  import: 'O',
  print: 'P',
  saveVersion: 'S',
};

/** Electron's accelerator for the command (`CmdOrCtrl+N`), or undefined. */
export function commandAccelerator(command: AppCommand): string | undefined {
  const key = COMMAND_KEYS[command];
  return key ? `CmdOrCtrl+${key}` : undefined;
}

/** The shortcut as a person reads it on this system: `Ctrl+N`, or `⌘N` on macOS; '' when there is none. */
export function shortcutLabel(command: AppCommand, isMac: boolean): string {
  const key = COMMAND_KEYS[command];
  if (!key) return '';
  return isMac ? `⌘${key}` : `Ctrl+${key}`;
}

/** What a keydown needs to be matched; a DOM KeyboardEvent has all of it. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * The command a key press asks for, or null. Only the system's own modifier
 * counts (⌘ on macOS, Ctrl elsewhere), and only without Shift or Alt: Ctrl+Shift+V
 * (paste as plain text) and AltGr letters must stay the browser's.
 */
export function commandForKey(press: KeyPress, isMac: boolean): AppCommand | null {
  const modifier = isMac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (!modifier || press.altKey || press.shiftKey) return null;
  const letter = press.key.length === 1 ? press.key.toUpperCase() : '';
  for (const [command, key] of Object.entries(COMMAND_KEYS)) {
    if (key === letter) return command as AppCommand;
  }
  return null;
}
