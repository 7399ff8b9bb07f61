import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ElectronApplication, _electron as electron, expect, type Page, test } from '@playwright/test';
import { findElectronBinary } from './electron-binary';

/*
 * The desktop shell end to end: a hardened window, the narrow bridge, the IPC
 * transport, and one article created through the UI and flushed on quit.
 */

const repoRoot = resolve(import.meta.dirname, '../..');
const mainBundle = join(repoRoot, 'dist/electron/main.cjs');
const binary = findElectronBinary();

let app: ElectronApplication | null = null;
let page: Page;
let root: string;
let workspaceDir: string;
const consoleErrors: string[] = [];

test.beforeEach(async () => {
  if (!binary.ok) {
    // Said on stdout too, so a log reader sees why nothing ran.
    console.log(`SKIPPED: ${binary.reason}`);
    test.skip(true, binary.reason);
    return;
  }
  if (!existsSync(mainBundle)) throw new Error(`${mainBundle} is missing: run npm run build first`);
  root = mkdtempSync(join(tmpdir(), 'gazette-electron-'));
  workspaceDir = join(root, 'workspace');
  // ELECTRON_RUN_AS_NODE would start a plain Node instead of the app.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE',
    ),
  );
  app = await electron.launch({
    executablePath: binary.executablePath,
    args: [mainBundle, '--workspace', workspaceDir, '--user-data', join(root, 'user-data')],
    cwd: repoRoot,
    env,
  });
  page = await app.firstWindow();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.waitForLoadState('domcontentloaded');
});

test.afterEach(async () => {
  if (app) await app.close();
  app = null;
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the window is isolated and sandboxed, and the page sees only the bridge', async () => {
  const running = app!;
  const prefs = await running.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    // Not in the typings, but present on WebContents: the preferences the window really got.
    const last = (contents as unknown as { getLastWebPreferences?: () => Record<string, unknown> })
      ?.getLastWebPreferences?.();
    return last
      ? {
          contextIsolation: last.contextIsolation,
          sandbox: last.sandbox,
          nodeIntegration: last.nodeIntegration,
          webSecurity: last.webSecurity,
        }
      : null;
  });
  if (prefs) {
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  } else {
    test.info().annotations.push({ type: 'note', description: 'getLastWebPreferences unavailable; page checks only' });
  }

  const exposed = await page.evaluate(() => {
    const scope = globalThis as unknown as Record<string, unknown> & { gazette?: Record<string, unknown> };
    return {
      require: typeof scope.require,
      process: typeof scope.process,
      module: typeof scope.module,
      bridgeKeys: Object.keys(scope.gazette ?? {}).sort(),
    };
  });
  expect(exposed).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', bridgeKeys: ['assetUrl', 'invoke'] });

  const info = await page.evaluate(async () => {
    const bridge = (globalThis as unknown as { gazette: { invoke(c: string, p: unknown): Promise<unknown> } }).gazette;
    return { info: await bridge.invoke('workspace:info', {}), foreign: await bridge.invoke('shell:exec', { cmd: 'calc' }) };
  });
  expect(info.info).toEqual({ ok: true, value: { path: workspaceDir, transport: 'ipc' } });
  expect(info.foreign).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });

  // The page comes from the app's own scheme, and a script on it cannot read local files.
  expect(page.url()).toMatch(/^app:\/\/gazette\//);
  const localFile = await page.evaluate(() =>
    fetch('file:///etc/hosts').then(
      () => 'read',
      () => 'refused',
    ),
  );
  expect(localFile).toBe('refused');
});

test('a new blank article created through the UI is listed and on disk after quitting', async () => {
  const title = `区政府召开安全生产工作会议 ${Date.now()}`;
  await page.getByRole('button', { name: '新建', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: /空白文稿/ }).check();
  await dialog.getByLabel('标题', { exact: true }).fill(title);
  await dialog.getByRole('button', { name: '创建并打开' }).click();

  // The proofreading worker starts from app:// as it does from the web host.
  await page.getByRole('textbox', { name: '在此输入正文…' }).fill('依照中华人民共合国宪法，会议审议了有关事项。');
  await page.getByRole('tab', { name: /校对/ }).click();
  await expect(page.getByTestId('proof-item').filter({ hasText: '中华人民共合国宪法' })).toBeVisible({ timeout: 15_000 });

  await page.getByRole('button', { name: /文稿列表/ }).click();
  await expect(page.getByRole('row').filter({ hasText: title })).toBeVisible();

  expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);

  await app!.close();
  app = null;
  const articleFiles = readdirSync(join(workspaceDir, 'articles'), { recursive: true }).map(String);
  expect(articleFiles.some((name) => name.endsWith('.json'))).toBe(true);
});

test('the 文件 menu runs the page’s commands once, lists the article just opened, and right-click gives the editing menu except on a proofreading mark', async () => {
  const running = app!;
  const fileMenu = () =>
    running.evaluate(({ Menu }) =>
      (Menu.getApplicationMenu()?.items.find((item) => item.label === '文件')?.submenu?.items ?? []).map((item) => ({
        label: item.label,
        accelerator: item.accelerator ?? null,
        registerAccelerator: item.registerAccelerator,
        submenu: item.submenu?.items.map((entry) => entry.label) ?? [],
      })),
    );
  const items = await fileMenu();
  expect(items.filter((item) => item.accelerator).map((item) => [item.label, item.accelerator, item.registerAccelerator])).toEqual([
    ['新建文稿', 'CmdOrCtrl+N', false],
    ['导入…', 'CmdOrCtrl+O', false],
    ['打印…', 'CmdOrCtrl+P', false],
    ['保存版本…', 'CmdOrCtrl+S', false],
  ]);

  // Choosing 新建文稿 in the native menu reaches the page through the menu:command event.
  await running.evaluate(({ Menu }) => {
    Menu.getApplicationMenu()
      ?.items.find((item) => item.label === '文件')
      ?.submenu?.items.find((item) => item.label === '新建文稿')
      ?.click();
  });
  const body = page.getByRole('textbox', { name: '在此输入正文…' });
  await expect(body).toBeFocused();

  // The key runs the command once: the menu shows Ctrl+S but leaves the key to the page.
  await page.keyboard.press('Control+S');
  await expect(page.getByRole('dialog', { name: '保存版本' })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await fileMenu()).find((item) => item.label === '最近打开')?.submenu).toEqual(['（无标题）']);

  // Record what the native context menu would show instead of showing it.
  await running.evaluate(({ Menu }) => {
    const shown: string[][] = [];
    (globalThis as { shownMenus?: string[][] }).shownMenus = shown;
    Menu.prototype.popup = function record(this: Electron.Menu) {
      shown.push(this.items.map((item) => (item.type === 'separator' ? '—' : item.label)));
    };
  });
  const shownMenus = () => running.evaluate(() => (globalThis as { shownMenus?: string[][] }).shownMenus ?? []);

  await body.pressSequentially('会议学习了中华人民共合国宪法。');
  await body.click({ button: 'right', position: { x: 2, y: 2 } });
  await expect.poll(shownMenus).toEqual([['剪切', '复制', '粘贴', '粘贴为纯文本', '—', '全选']]);

  const mark = page.locator('.gz-proof-error').filter({ hasText: '中华人民共合国' }).first();
  await expect(mark).toBeVisible({ timeout: 15_000 });
  await mark.click({ button: 'right' });
  await expect(page.getByRole('menu', { name: '校对建议' })).toBeVisible();
  expect(await shownMenus()).toHaveLength(1);
});
