import { join, resolve } from 'node:path';
import { app, dialog, Menu, type MessageBoxOptions, safeStorage, session } from 'electron';
import type { Dispatch } from '../shared/api/dispatch';
import { type Locale, LocaleSchema } from '../shared/domain/settings';
import { translate } from '../shared/i18n';
import { type IpcTransport, registerIpcTransport } from './ipc/main-transport';
import { defaultWorkspaceDir, openWorkspace } from '../node/services';
import { desktopKeySealing, type KeySealing } from '../node/services/identity/keys';
import { readSwitch } from './shell/argv';
import { handleAppProtocol } from './shell/app-protocol';
import { APP_INDEX_URL } from './shell/app-url';
import { handleAssetProtocol } from './shell/asset-protocol';
import { CHROMIUM_DEBUG_SWITCHES, debugSwitchesIn } from './shell/debug-switches';
import { buildMenuTemplate } from './shell/menu';
import { type AppLocation, BUILT_APP } from './shell/policy';
import { registerPrivilegedSchemes } from './shell/schemes';
import { hardenAllWebContents, hardenSession } from './shell/security';
import { createMainWindow, type MainWindow } from './shell/window';
import { electronPrintToPdf } from './shell/print-to-pdf';
import { APP_DIR_NAME } from '../node/webhost/paths';

/*
 * Electron main process (bundled to dist/electron/main.cjs). Thin glue: the
 * services do the work; this file wires the window, the IPC transport, the
 * asset protocol, the menu and an orderly shutdown that flushes the workspace.
 *
 * Command line: --workspace DIR (default: <userData>/…, see services),
 * --user-data DIR (window state etc.; tests use a temp dir).
 * Development: GAZETTE_RENDERER_URL=http://localhost:5173 loads a dev server
 * instead of dist/renderer (ignored in a packaged app).
 */

type Workspace = Awaited<ReturnType<typeof openWorkspace>>;

const log = (message: string) => console.error(message);

// A packaged app refuses to be opened to a debugger: the window holds an unlocked signing session.
if (app.isPackaged) {
  const refused = debugSwitchesIn(process.argv);
  if (refused.length > 0) {
    log(`[security] refused to start with ${refused.map((name) => `--${name}`).join(' ')}: debugging is not allowed in the installed app`);
    process.exit(1);
  }
  for (const name of CHROMIUM_DEBUG_SWITCHES) app.commandLine.removeSwitch(name);
}

// One userData folder name for every way of launching, shared with `npm run web`.
const userDataOverride = readSwitch(process.argv, 'user-data');
app.setPath('userData', userDataOverride ? resolve(userDataOverride) : join(app.getPath('appData'), APP_DIR_NAME));
registerPrivilegedSchemes();

const devServerUrl = app.isPackaged ? undefined : process.env.GAZETTE_RENDERER_URL;
const rendererDir = join(__dirname, '../renderer');
const appLocation: AppLocation = devServerUrl ? { kind: 'http', origin: new URL(devServerUrl).origin } : BUILT_APP;

let workspace: Workspace | null = null;
let workspaceDir = '';
let mainWindow: MainWindow | null = null;
let locale: Locale = 'zh-CN';
let shutdown: 'running' | 'closing' | 'done' = 'running';

async function readLocale(dispatch: Dispatch): Promise<Locale> {
  const reply = await dispatch('settings:get', {}, { transport: 'ipc', sessionId: '' });
  if (!reply.ok) return 'zh-CN';
  const parsed = LocaleSchema.safeParse((reply.value as { locale?: unknown } | null)?.locale);
  return parsed.success ? parsed.data : 'zh-CN';
}

function showAbout(): void {
  const options: MessageBoxOptions = {
    type: 'info',
    title: translate(locale, 'menu.about'),
    message: translate(locale, 'app.name'),
    detail: translate(locale, 'shell.about.detail', { version: app.getVersion(), path: workspaceDir }),
  };
  const parent = mainWindow?.window;
  const shown = parent && !parent.isDestroyed() ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options);
  shown.catch((error: unknown) => log(`[about] ${String(error)}`));
}

function installMenu(): void {
  const template = buildMenuTemplate(locale, {
    isDev: !app.isPackaged,
    isMac: process.platform === 'darwin',
    onAbout: showAbout,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function openMainWindow(transport: IpcTransport): Promise<void> {
  const created = await createMainWindow({
    preload: join(__dirname, 'preload.cjs'),
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    title: translate(locale, 'app.name'),
    unsavedPrompt: {
      title: translate(locale, 'shell.unsaved.title'),
      message: translate(locale, 'shell.unsaved.message'),
      stay: translate(locale, 'shell.unsaved.stay'),
      leave: translate(locale, 'shell.unsaved.leave'),
    },
    log,
  });
  mainWindow = created;
  transport.trust(created.window.webContents);
  created.window.on('closed', () => {
    if (mainWindow === created) mainWindow = null;
  });
  const loading = created.window.loadURL(devServerUrl ?? APP_INDEX_URL);
  await loading.catch((error: unknown) => log(`[window] could not load the app: ${String(error)}`));
}

/**
 * Private signing keys are sealed by each person's password; safeStorage adds
 * an outer wrap only where the OS keychain is real (never Linux's basic_text),
 * and opens keys older versions sealed with it alone, to re-seal them.
 */
function keySealing(): KeySealing {
  const { sealing, note } = desktopKeySealing(safeStorage, process.platform);
  log(`[keys] ${note}`);
  return sealing;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, appLocation);
  const requested = readSwitch(process.argv, 'workspace');
  workspaceDir = requested ? resolve(requested) : defaultWorkspaceDir(app.getPath('userData'));
  try {
    // Publishing passwords are sealed by the OS keychain in the desktop app.
    workspace = await openWorkspace(workspaceDir, { log, keySealing: keySealing(), safeStorage, printToPdf: electronPrintToPdf });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    log(`[workspace] ${workspaceDir}: ${detail}`);
    dialog.showErrorBox(
      translate(locale, 'shell.workspaceFailed.title'),
      translate(locale, 'shell.workspaceFailed.detail', { path: workspaceDir, detail }),
    );
    shutdown = 'done';
    app.exit(1);
    return;
  }
  const opened = workspace;
  locale = await readLocale(opened.dispatch);

  const dispatch: Dispatch = async (channel, payload, context) => {
    const reply = await opened.dispatch(channel, payload, context);
    if (channel === 'settings:save' && reply.ok) {
      const next = await readLocale(opened.dispatch);
      if (next !== locale) {
        locale = next;
        installMenu();
      }
    }
    return reply;
  };
  const transport = registerIpcTransport(dispatch, appLocation, log);
  handleAssetProtocol((articleId, src) => opened.assetPath(articleId, src), log);
  if (!devServerUrl) await handleAppProtocol(rendererDir, log);
  installMenu();
  await openMainWindow(transport);
}

/** Closes the workspace (its pending writes reach the disk) before the process ends. */
async function closeEverything(): Promise<void> {
  const results = await Promise.allSettled([mainWindow?.flushState(), workspace?.close()]);
  for (const result of results) {
    if (result.status === 'rejected') log(translate(locale, 'shell.closeFailed', { detail: String(result.reason) }));
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Gazette already runs on this workspace; it comes to the front instead.
  shutdown = 'done';
  app.quit();
} else {
  hardenAllWebContents(app, appLocation, log);

  app.on('second-instance', () => {
    const window = mainWindow?.window;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('before-quit', (event) => {
    if (shutdown === 'done') return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    closeEverything().finally(() => {
      shutdown = 'done';
      app.exit(0);
    });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log(`[main] start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      shutdown = 'done';
      app.exit(1);
    });
}
