import type { MenuItemConstructorOptions } from 'electron';
import { type AppCommand, type AppCommandRequest, commandAccelerator, type ExportFormat } from '../../shared/domain/app-commands';
import type { Locale } from '../../shared/domain/settings';
import { type MessageKey, translate } from '../../shared/i18n';
import type { RecentArticle } from './recent-articles';

/** What the native menu needs besides the locale. */
export interface MenuOptions {
  /** Development build: adds 重新加载 and the developer tools. */
  isDev: boolean;
  isMac: boolean;
  onAbout: () => void;
  /** The signed-in person's last opened articles, newest first (empty when nobody is signed in). */
  recent: readonly RecentArticle[];
  /** Hands a chosen 文件 command to the page, which runs it as its own shortcut would. */
  onCommand: (request: AppCommandRequest) => void;
}

const EXPORT_LABELS: readonly (readonly [ExportFormat, MessageKey])[] = [
  ['docx', 'menu.exportDocx'],
  ['pdf', 'menu.exportPdf'],
  ['html', 'menu.exportHtml'],
  ['json', 'menu.exportJson'],
];

/**
 * A menu item for a page command. Its shortcut is shown but not registered
 * with the system (`registerAccelerator: false`): the page handles the key
 * itself, in the browser as in the desktop app, so one press runs the command
 * once. (On macOS, where the flag does not apply, a key the page handled
 * never reaches the menu.)
 */
function commandItem(label: string, command: AppCommand, options: MenuOptions): MenuItemConstructorOptions {
  const accelerator = commandAccelerator(command);
  return {
    label,
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
    click: () => options.onCommand({ command }),
  };
}

/** 文件: the article commands, the recent articles, then quit (or close, on macOS). */
function fileMenu(t: (key: MessageKey) => string, options: MenuOptions): MenuItemConstructorOptions[] {
  const recent: MenuItemConstructorOptions[] =
    options.recent.length > 0
      ? options.recent.map((article) => ({
          // A title is text, not a mnemonic: an & in it must show as written.
          label: (article.title.trim() || t('list.untitled')).replaceAll('&', '&&'),
          click: () => options.onCommand({ command: 'openArticle', articleId: article.id }),
        }))
      : [{ label: t('menu.recentNone'), enabled: false }];
  return [
    commandItem(t('menu.newArticle'), 'newArticle', options),
    commandItem(t('menu.import'), 'import', options),
    {
      label: t('menu.export'),
      submenu: EXPORT_LABELS.map(([format, label]) => ({
        label: t(label),
        click: () => options.onCommand({ command: 'export', format }),
      })),
    },
    commandItem(t('menu.print'), 'print', options),
    commandItem(t('menu.saveVersion'), 'saveVersion', options),
    { type: 'separator' },
    { label: t('menu.recent'), submenu: recent },
    { type: 'separator' },
    options.isMac ? { role: 'close', label: t('menu.closeWindow') } : { role: 'quit', label: t('menu.quit') },
  ];
}

/**
 * The native menu in the writer's language. Editing commands use Electron
 * roles (so the OS and the editor handle them); the 文件 commands are the
 * page's own, reached through the `menu:command` event.
 */
export function buildMenuTemplate(locale: Locale, options: MenuOptions): MenuItemConstructorOptions[] {
  const t = (key: MessageKey) => translate(locale, key);
  const about: MenuItemConstructorOptions = { label: t('menu.about'), click: () => options.onAbout() };
  const quit: MenuItemConstructorOptions = { role: 'quit', label: t('menu.quit') };

  const view: MenuItemConstructorOptions[] = [
    ...(options.isDev
      ? ([
          { role: 'reload', label: t('menu.reload') },
          { role: 'toggleDevTools', label: t('menu.devTools') },
          { type: 'separator' },
        ] satisfies MenuItemConstructorOptions[])
      : []),
    { role: 'resetZoom', label: t('menu.resetZoom') },
    { role: 'zoomIn', label: t('menu.zoomIn') },
    { role: 'zoomOut', label: t('menu.zoomOut') },
    { type: 'separator' },
    { role: 'togglefullscreen', label: t('menu.fullscreen') },
  ];

  return [
    ...(options.isMac ? [{ label: 'Gazette', submenu: [about, { type: 'separator' as const }, quit] }] : []),
    { label: t('menu.file'), submenu: fileMenu(t, options) },
    {
      label: t('menu.edit'),
      submenu: [
        { role: 'undo', label: t('menu.undo') },
        { role: 'redo', label: t('menu.redo') },
        { type: 'separator' },
        { role: 'cut', label: t('menu.cut') },
        { role: 'copy', label: t('menu.copy') },
        { role: 'paste', label: t('menu.paste') },
        { role: 'pasteAndMatchStyle', label: t('menu.pastePlain') },
        { type: 'separator' },
        { role: 'selectAll', label: t('menu.selectAll') },
      ],
    },
    { label: t('menu.view'), submenu: view },
    {
      label: t('menu.window'),
      submenu: [
        { role: 'minimize', label: t('menu.minimize') },
        { role: 'close', label: t('menu.closeWindow') },
      ],
    },
    { label: t('menu.help'), role: 'help', submenu: [about] },
  ];
}

/** What Electron's `context-menu` event says about the place right-clicked (a subset of its params). */
export interface ContextMenuParams {
  isEditable: boolean;
  selectionText: string;
  editFlags: { canCut: boolean; canCopy: boolean; canPaste: boolean; canSelectAll: boolean };
  /** The word under the pointer the spellchecker flagged ('' when none, always '' while it is off). */
  misspelledWord: string;
  dictionarySuggestions: string[];
}

/**
 * The right-click menu of the editor, a field or selected text: 剪切 / 复制 /
 * 粘贴 / 粘贴为纯文本 / 全选, each enabled as the page says it can be done,
 * led by spelling suggestions when there are any. Empty where there is
 * nothing to do (plain page text with nothing selected): no menu then.
 * Proofreading marks have their own menu in the page, which claims the
 * right-click before this one is asked for.
 */
export function buildContextMenuTemplate(
  locale: Locale,
  params: ContextMenuParams,
  onReplaceMisspelling: (word: string) => void,
): MenuItemConstructorOptions[] {
  const t = (key: MessageKey) => translate(locale, key);
  const hasSelection = params.selectionText.trim() !== '';
  if (!params.isEditable) {
    return hasSelection ? [{ role: 'copy', label: t('menu.copy'), enabled: params.editFlags.canCopy }] : [];
  }
  const spelling: MenuItemConstructorOptions[] =
    params.misspelledWord === ''
      ? []
      : [
          ...params.dictionarySuggestions.slice(0, 5).map((word) => ({ label: word, click: () => onReplaceMisspelling(word) })),
          { type: 'separator' as const },
        ];
  return [
    ...spelling,
    { role: 'cut', label: t('menu.cut'), enabled: params.editFlags.canCut },
    { role: 'copy', label: t('menu.copy'), enabled: params.editFlags.canCopy },
    { role: 'paste', label: t('menu.paste'), enabled: params.editFlags.canPaste },
    { role: 'pasteAndMatchStyle', label: t('menu.pastePlain'), enabled: params.editFlags.canPaste },
    { type: 'separator' },
    { role: 'selectAll', label: t('menu.selectAll'), enabled: params.editFlags.canSelectAll },
  ];
}
