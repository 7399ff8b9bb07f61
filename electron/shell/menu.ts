import type { MenuItemConstructorOptions } from 'electron';
import type { Locale } from '../../shared/domain/settings';
import { translate } from '../../shared/i18n';

/** What the native menu needs besides the locale. */
export interface MenuOptions {
  /** Development build: adds 重新加载 and the developer tools. */
  isDev: boolean;
  isMac: boolean;
  onAbout: () => void;
}

/**
 * The native menu in the writer's language. Editing commands use Electron
 * roles (so the OS and the editor handle them); new/import live in the app's
 * own UI and keyboard shortcuts, since the menu has no channel into the page.
 */
export function buildMenuTemplate(locale: Locale, options: MenuOptions): MenuItemConstructorOptions[] {
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
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
    { label: t('menu.file'), submenu: options.isMac ? [{ role: 'close', label: t('menu.closeWindow') }] : [quit] },
    {
      label: t('menu.edit'),
      submenu: [
        { role: 'undo', label: t('menu.undo') },
        { role: 'redo', label: t('menu.redo') },
        { type: 'separator' },
        { role: 'cut', label: t('menu.cut') },
        { role: 'copy', label: t('menu.copy') },
        { role: 'paste', label: t('menu.paste') },
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
