import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AddedAsset } from '../../../shared/api/contract';
import type { Envelope } from '../../../shared/api/errors';
import { APP_CSP, ASSET_FILE_CSP } from '../../../shared/security/csp';

/*
 * electron/main.ts end to end against a real workspace, with a recording
 * stand-in for the electron module (the binary cannot be installed here):
 * what the window gets, what IPC lets through, how assets are served, how
 * navigation is fenced, and that quitting flushes the workspace.
 */

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const emitter = () => {
    const listeners = new Map<string, Listener[]>();
    return {
      listeners,
      on(event: string, listener: Listener) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener]);
        return this;
      },
      once(event: string, listener: Listener) {
        return this.on(event, listener);
      },
      emit(event: string, ...args: unknown[]) {
        for (const listener of listeners.get(event) ?? []) listener(...args);
      },
    };
  };
  return {
    emitter,
    root: '',
    app: emitter(),
    exitCodes: [] as number[],
    paths: new Map<string, string>(),
    ipcHandlers: new Map<string, Listener>(),
    protocolHandlers: new Map<string, Listener>(),
    schemes: [] as unknown[],
    windows: [] as Array<{
      options: Record<string, unknown>;
      loaded: string[];
      events: ReturnType<typeof emitter>;
      webContents: ReturnType<typeof emitter> & { id: number; windowOpenHandler?: Listener; url: string };
    }>,
    openedExternally: [] as string[],
    permissionRequest: null as Listener | null,
    headersReceived: null as Listener | null,
    menus: [] as unknown[],
    errorBoxes: [] as string[],
  };
});

vi.mock('electron', () => {
  let nextId = 1;
  class BrowserWindow {
    readonly events = fake.emitter();
    readonly webContents: (typeof fake.windows)[number]['webContents'];
    readonly record: (typeof fake.windows)[number];
    constructor(options: Record<string, unknown>) {
      const contents = Object.assign(fake.emitter(), {
        id: nextId++,
        url: '',
        setWindowOpenHandler(handler: Listener) {
          contents.windowOpenHandler = handler;
        },
        getURL: () => contents.url,
      }) as (typeof fake.windows)[number]['webContents'];
      this.webContents = contents;
      this.record = { options, loaded: [], events: this.events, webContents: contents };
      fake.windows.push(this.record);
      fake.app.emit('web-contents-created', {}, contents);
    }
    on(event: string, listener: Listener) {
      this.events.on(event, listener);
      return this;
    }
    once(event: string, listener: Listener) {
      this.events.on(event, listener);
      return this;
    }
    async loadFile(file: string) {
      this.record.loaded.push(file);
      this.webContents.url = pathToFileURL(file).href;
    }
    async loadURL(url: string) {
      this.record.loaded.push(url);
      this.webContents.url = url;
    }
    maximize() {}
    show() {}
    focus() {}
    restore() {}
    isDestroyed = () => false;
    isMinimized = () => false;
    isFullScreen = () => false;
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 40, y: 30, width: 1200, height: 800 });
  }
  return {
    app: Object.assign(fake.app, {
      isPackaged: false,
      getPath: (name: string) => fake.paths.get(name) ?? join(fake.root, name),
      setPath: (name: string, value: string) => fake.paths.set(name, value),
      getVersion: () => '0.1.0',
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      quit: () => {
        const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
        fake.app.emit('before-quit', event);
      },
      exit: (code: number) => fake.exitCodes.push(code),
    }),
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: Listener) => fake.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.schemes.push(...schemes),
      handle: (scheme: string, handler: Listener) => fake.protocolHandlers.set(scheme, handler),
    },
    net: {
      fetch: async (url: string) => new Response(await readFile(fileURLToPath(url)), { headers: { 'content-type': 'image/png' } }),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => (fake.permissionRequest = handler),
        setPermissionCheckHandler: () => {},
        webRequest: { onHeadersReceived: (handler: Listener) => (fake.headersReceived = handler) },
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => fake.menus.push(menu) },
    dialog: {
      showErrorBox: (title: string, detail: string) => fake.errorBoxes.push(`${title}: ${detail}`),
      showMessageBox: async () => ({ response: 0 }),
      showMessageBoxSync: () => 0,
    },
    shell: { openExternal: async (url: string) => void fake.openedExternally.push(url) },
    // A reversible stand-in for the OS keychain: enough to see keys sealed by it, not by the password.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(`sealed:${plain}`),
      decryptString: (sealed: Buffer) => sealed.toString().replace(/^sealed:/, ''),
    },
  };
});

let workspaceDir: string;
let userData: string;
const originalArgv = process.argv;
const rendererIndex = resolve(import.meta.dirname, '../../../renderer/index.html');
const appUrl = 'app://gazette/index.html';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

function ipc(channel: string, payload: unknown, sender = { id: fake.windows[0]!.webContents.id, url: appUrl }) {
  const handler = fake.ipcHandlers.get(channel);
  if (!handler) throw new Error(`no IPC handler for ${channel}`);
  const event = { sender: { id: sender.id }, senderFrame: { url: sender.url, parent: null, isDestroyed: () => false } };
  return handler(event, payload) as Promise<Envelope<unknown>>;
}

beforeAll(async () => {
  fake.root = mkdtempSync(join(tmpdir(), 'gazette-main-'));
  workspaceDir = join(fake.root, 'my workspace');
  userData = join(fake.root, 'profile');
  process.argv = ['electron', 'dist/electron/main.cjs', '--workspace', workspaceDir, '--user-data', userData];
  await import('../../../electron/main');
  await until(() => fake.windows.length === 1 && fake.windows[0]!.loaded.length === 1, 'the main window');
});

afterAll(() => {
  process.argv = originalArgv;
  rmSync(fake.root, { recursive: true, force: true });
});

describe('electron main process', () => {
  it('uses the requested user-data folder and registers the app and asset schemes as privileged, none readable cross-origin', () => {
    expect(fake.paths.get('userData')).toBe(userData);
    expect(fake.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
      { scheme: 'gazette-asset', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('opens one hidden, isolated, sandboxed window on the built renderer', () => {
    const window = fake.windows[0]!;
    expect(window.options).toMatchObject({
      show: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
    });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(window.loaded).toEqual(['app://gazette/index.html']);
  });

  it('serves the built renderer on app:// with the app CSP, and nothing outside it', async () => {
    const handler = fake.protocolHandlers.get('app')!;
    const page = (await handler(new Request('app://gazette/index.html'))) as Response;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(Buffer.from(await page.arrayBuffer()).equals(readFileSync(rendererIndex))).toBe(true);
    for (const bad of [
      'app://gazette/../package.json',
      'app://gazette/%2e%2e/package.json',
      'app://gazette/..%2fpackage.json',
      'app://gazette/src/..%5c..%5cpackage.json',
      'app://elsewhere/index.html',
      'app://gazette/missing.js',
    ]) {
      expect(((await handler(new Request(bad))) as Response).status, bad).toBe(404);
    }
    const post = (await handler(new Request('app://gazette/index.html', { method: 'POST', body: 'x' }))) as Response;
    expect(post.status).toBe(404);
  });

  it('serves the API over IPC from the real workspace to the trusted window only', async () => {
    expect(await ipc('workspace:info', {})).toEqual({ ok: true, value: { path: workspaceDir, transport: 'ipc' } });
    expect(await ipc('articles:list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // The window's session (ipc:<webContents id>) becomes the first admin; the desktop wraps the password-sealed key with safeStorage.
    expect(await ipc('session:setup', { name: '管理员', password: 'admin-password' })).toMatchObject({ ok: true });
    const people = JSON.parse(readFileSync(join(workspaceDir, 'people.json'), 'utf8'));
    expect(people.people[0].key.privateKey.kind).toBe('safeStorage+scrypt-aes-256-gcm');
    const created = await ipc('articles:create', { template: 'blank', input: { title: '开发区召开安全生产会议' } });
    expect(created.ok).toBe(true);
    const list = await ipc('articles:list', {});
    expect(JSON.stringify(list)).toContain('开发区召开安全生产会议');

    const stranger = await ipc('articles:list', {}, { id: 999, url: appUrl });
    expect(stranger).toEqual({ ok: false, error: { code: 'unauthorized', detail: 'untrusted sender' } });
    const navigatedAway = await ipc('articles:list', {}, { id: fake.windows[0]!.webContents.id, url: 'https://evil.example/' });
    expect(navigatedAway.ok).toBe(false);
  });

  it('serves an uploaded image on gazette-asset:// with a locked-down CSP, and nothing outside the article', async () => {
    const created = (await ipc('articles:create', { template: 'blank' })) as { ok: true; value: { id: string } };
    const png = readFileSync(resolve(import.meta.dirname, '../../../build/icons/16x16.png'));
    const added = (await ipc('assets:add', {
      articleId: created.value.id,
      fileName: '现场照片.png',
      mime: 'image/png',
      dataBase64: png.toString('base64'),
    })) as Envelope<AddedAsset>;
    if (!added.ok) throw new Error(added.error.detail);
    const handler = fake.protocolHandlers.get('gazette-asset')!;
    // The photo's original is kept byte for byte beside the working copy the doc shows.
    const url = `gazette-asset://article/${created.value.id}/${added.value.photo?.original}`;
    const response = (await handler(new Request(url))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(ASSET_FILE_CSP);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);

    for (const bad of [
      `gazette-asset://article/${created.value.id}/assets/missing.png`,
      `gazette-asset://article/${created.value.id}/..%2f..%2findex.json`,
      `gazette-asset://elsewhere/${created.value.id}/${added.value.src}`,
    ]) {
      expect(((await handler(new Request(bad))) as Response).status, bad).toBe(404);
    }
  });

  it('keeps the window on the app and sends only http(s) links to the browser', () => {
    const contents = fake.windows[0]!.webContents;
    const navigate = (url: string) => {
      const event = { url, defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      contents.emit('will-navigate', event);
      return event.defaultPrevented;
    };
    expect(navigate(`${appUrl}#/list`)).toBe(false);
    expect(navigate('https://www.gov.cn/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://portal.example.gov.cn/a' })).toEqual({ action: 'deny' });
    expect(fake.openedExternally).toEqual(['https://www.gov.cn/', 'https://portal.example.gov.cn/a']);

    const webview = { defaultPrevented: false, preventDefault: () => (webview.defaultPrevented = true) };
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
  });

  it('denies permissions such as camera to every page, and notifications to every page but the app’s own', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'openExternal']) {
      fake.permissionRequest?.({ getURL: () => appUrl }, permission, (granted: boolean) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false]);
    const notifications: boolean[] = [];
    for (const url of [appUrl, 'https://portal.example.gov.cn/']) {
      fake.permissionRequest?.({ getURL: () => url }, 'notifications', (granted: boolean) => notifications.push(granted));
    }
    expect(notifications).toEqual([true, false]);
  });

  it('adds the app CSP only to the app’s own responses', () => {
    const results: unknown[] = [];
    fake.headersReceived?.({ url: appUrl, responseHeaders: {} }, (result: unknown) => results.push(result));
    fake.headersReceived?.({ url: 'https://portal.example.gov.cn/', responseHeaders: {} }, (result: unknown) =>
      results.push(result),
    );
    expect(results).toEqual([{ responseHeaders: { 'Content-Security-Policy': [APP_CSP] } }, {}]);
  });

  it('installs the Chinese menu', () => {
    const menu = fake.menus.at(-1) as Array<{ label: string }>;
    expect(menu.map((item) => item.label)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
  });

  it('on quit saves the window state and closes the workspace before exiting', async () => {
    // The store marks an open session with this file and removes it on a clean close.
    const openMarker = join(workspaceDir, '.gazette-open');
    expect(existsSync(openMarker)).toBe(true);
    fake.windows[0]!.events.emit('close');
    const { app } = await import('electron');
    app.quit();
    await until(() => fake.exitCodes.length > 0, 'app.exit');
    expect(fake.exitCodes).toEqual([0]);
    const state = JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')) as unknown;
    expect(state).toEqual({ x: 40, y: 30, width: 1200, height: 800, maximized: false });
    expect(existsSync(openMarker)).toBe(false);
    // A second quit while exiting must not run the shutdown again.
    app.quit();
    expect(fake.exitCodes).toEqual([0]);
  });
});
