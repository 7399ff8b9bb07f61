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
import { buildContextMenuTemplate, buildMenuTemplate } from './shell/menu';
import { forgetArticle, loadRecent, type RecentByPerson, rememberArticle, saveRecent } from './shell/recent-articles';
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
let transport: IpcTransport | null = null;
/** Each person's recent articles (文件 → 最近打开), kept in userData on this computer. */
let recent: RecentByPerson = {};
/** Who is signed in in the main window: whose recent articles the menu shows. */
let menuPerson: string | null = null;
let recentWrites: Promise<void> = Promise.resolve();
const recentFile = () => join(app.getPath('userData'), 'recent-articles.json');

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
    recent: menuPerson ? (recent[menuPerson] ?? []) : [],
    onCommand: (request) => {
      const contents = mainWindow?.window.webContents;
      if (contents && transport) void transport.sendEvent(contents, 'menu:command', request);
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Changes the person's recent list, rebuilds the menu, and writes the lists (one write after another). */
function updateRecent(person: string, change: (list: RecentByPerson[string]) => RecentByPerson[string]): void {
  recent = { ...recent, [person]: change(recent[person] ?? []) };
  installMenu();
  const snapshot = recent;
  recentWrites = recentWrites
    .then(() => saveRecent(recentFile(), snapshot))
    .catch((error: unknown) => log(`[recent] could not save: ${String(error)}`));
}

/**
 * What the menu learns from the main window's own calls: who signed in or
 * out (whose recent articles to show) and which articles were opened,
 * trashed or purged. The page needs no extra messages for it.
 */
async function followCall(channel: string, payload: unknown, reply: { ok: boolean; value?: unknown }, dispatch: Dispatch, sessionId: string): Promise<void> {
  if (!reply.ok || sessionId !== `ipc:${mainWindow?.window.webContents.id}`) return;
  if (channel === 'session:signIn' || channel === 'session:signOut' || channel === 'session:setup') {
    const session = await dispatch('session:get', {}, { transport: 'ipc', sessionId });
    const person = session.ok ? (session.value as { person?: { id?: unknown } | null }).person : null;
    menuPerson = typeof person?.id === 'string' ? person.id : null;
    installMenu();
    return;
  }
  if (!menuPerson) return;
  if (channel === 'articles:get') {
    const article = reply.value as { id: string; meta?: { title?: string } };
    updateRecent(menuPerson, (list) => rememberArticle(list, { id: article.id, title: article.meta?.title ?? '' }));
  } else if (channel === 'articles:save') {
    const summary = (reply.value as { summary?: { id: string; title?: string } }).summary;
    const known = summary && (recent[menuPerson] ?? []).find((item) => item.id === summary.id);
    if (summary && known && known.title !== (summary.title ?? '')) {
      updateRecent(menuPerson, (list) => list.map((item) => (item.id === summary.id ? { ...item, title: summary.title ?? '' } : item)));
    }
  } else if (channel === 'articles:trash' || channel === 'articles:purge') {
    const id = (payload as { id?: unknown } | null)?.id;
    if (typeof id === 'string') updateRecent(menuPerson, (list) => forgetArticle(list, id));
  }
}

async function openMainWindow(ipc: IpcTransport): Promise<void> {
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
  ipc.trust(created.window.webContents);
  const contents = created.window.webContents;
  // Electron shows no right-click menu of its own. The page claims right-clicks on proofreading
  // marks for their suggestions; every other one reaches this event.
  contents.on('context-menu', (_event, params) => {
    const template = buildContextMenuTemplate(locale, params, (word) => contents.replaceMisspelling(word));
    if (template.length > 0) Menu.buildFromTemplate(template).popup({ window: created.window });
  });
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
    // The lock refuses a second program on this folder (a web host, a CLI import, the app under another user-data folder) by name;
    // where the OS has no keychain, the passwords' secret stays in userData, outside the workspace.
    workspace = await openWorkspace(workspaceDir, {
      log,
      keySealing: keySealing(),
      safeStorage,
      printToPdf: electronPrintToPdf,
      lockAs: 'desktop',
      secretsDir: join(app.getPath('userData'), 'secrets'),
      loadInBackground: true,
    });
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

  recent = await loadRecent(recentFile());
  const dispatch: Dispatch = async (channel, payload, context) => {
    const reply = await opened.dispatch(channel, payload, context);
    if (context.transport === 'ipc') {
      await followCall(channel, payload, reply, opened.dispatch, context.sessionId).catch((error: unknown) =>
        log(`[menu] ${String(error)}`),
      );
    }
    if (channel === 'settings:save' && reply.ok) {
      const next = await readLocale(opened.dispatch);
      if (next !== locale) {
        locale = next;
        installMenu();
      }
    }
    return reply;
  };
  const ipc = registerIpcTransport(dispatch, appLocation, log);
  transport = ipc;
  handleAssetProtocol((articleId, src) => opened.assetPath(articleId, src), log);
  if (!devServerUrl) await handleAppProtocol(rendererDir, log);
  installMenu();
  await openMainWindow(ipc);
}

/** Closes the workspace (its pending writes reach the disk) before the process ends. */
async function closeEverything(): Promise<void> {
  const results = await Promise.allSettled([mainWindow?.flushState(), workspace?.close(), recentWrites]);
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
