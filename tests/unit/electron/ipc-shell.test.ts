import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSender } from '../../../electron/ipc/sender';
import { readSwitch } from '../../../electron/shell/argv';
import { buildAssetUrl, parseAssetUrl } from '../../../electron/shell/asset-url';
import { buildMenuTemplate } from '../../../electron/shell/menu';
import { APP_INDEX_URL, rendererFileFor } from '../../../electron/shell/app-url';
import { debugSwitchesIn } from '../../../electron/shell/debug-switches';
import { type AppLocation, BUILT_APP, externalUrlToOpen, isAllowedNavigation, isAppUrl } from '../../../electron/shell/policy';
import { APP_CSP, APP_CSP_META } from '../../../shared/security/csp';
import {
  isGrabbable,
  loadWindowState,
  MIN_WINDOW_SIZE,
  type Rect,
  restoreWindowState,
  saveWindowState,
} from '../../../electron/shell/window-state';

const root = mkdtempSync(join(tmpdir(), 'gazette-shell-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rendererDir = join(root, 'app', 'dist', 'renderer');
const indexPath = join(rendererDir, 'index.html');
const fileApp: AppLocation = BUILT_APP;
const devApp: AppLocation = { kind: 'http', origin: 'http://localhost:5173' };
const appUrl = APP_INDEX_URL;

describe('IPC sender validation', () => {
  const trusted = new Set([3]);
  it('trusts only the main frame of our own window showing our page', () => {
    expect(checkSender({ webContentsId: 3, frameUrl: appUrl, isMainFrame: true }, trusted, fileApp)).toEqual({
      trusted: true,
    });
    expect(checkSender({ webContentsId: 3, frameUrl: `${appUrl}?x=1#/edit`, isMainFrame: true }, trusted, fileApp).trusted).toBe(
      true,
    );
  });

  it('refuses other windows, sub-frames, gone frames and foreign pages, saying why', () => {
    const cases = [
      { webContentsId: 4, frameUrl: appUrl, isMainFrame: true },
      { webContentsId: 3, frameUrl: appUrl, isMainFrame: false },
      { webContentsId: 3, frameUrl: null, isMainFrame: true },
      { webContentsId: 3, frameUrl: 'https://portal.example.gov.cn/', isMainFrame: true },
      { webContentsId: 3, frameUrl: pathToFileURL(join(root, 'evil.html')).href, isMainFrame: true },
      { webContentsId: 3, frameUrl: 'file://server/share/app/dist/renderer/index.html', isMainFrame: true },
      // The page the app once loaded from disk is not the app any more.
      { webContentsId: 3, frameUrl: pathToFileURL(indexPath).href, isMainFrame: true },
      { webContentsId: 3, frameUrl: 'app://gazette.evil/index.html', isMainFrame: true },
      { webContentsId: 3, frameUrl: 'app://gazette:8080/index.html', isMainFrame: true },
    ];
    for (const sender of cases) {
      const verdict = checkSender(sender, trusted, fileApp);
      expect(verdict.trusted, JSON.stringify(sender)).toBe(false);
      if (!verdict.trusted) expect(verdict.reason).not.toBe('');
    }
  });
});

describe('the app:// scheme', () => {
  it('maps a URL to a file of the renderer folder and to nothing outside it', () => {
    expect(rendererFileFor('app://gazette/index.html', rendererDir)).toBe(indexPath);
    expect(rendererFileFor('app://gazette/', rendererDir)).toBe(indexPath);
    expect(rendererFileFor('app://gazette/assets/index-abc.js?v=1#x', rendererDir)).toBe(join(rendererDir, 'assets', 'index-abc.js'));
    expect(rendererFileFor('app://gazette/assets/%E5%9B%BE.png', rendererDir)).toBe(join(rendererDir, 'assets', '图.png'));
    // A literal `..` is resolved by the URL itself, at the root: it cannot climb out.
    expect(rendererFileFor('app://gazette/../../package.json', rendererDir)).toBe(join(rendererDir, 'package.json'));
    expect(rendererFileFor('app://gazette/%2e%2e/package.json', rendererDir)).toBe(join(rendererDir, 'package.json'));
    for (const url of [
      'app://gazette/assets/..%2f..%2fpackage.json',
      'app://gazette/assets/..%5c..%5cpackage.json',
      'app://gazette/assets//index.js',
      'app://gazette/.env',
      'app://gazette/a%00.js',
      'app://gazette/%E0%A4%A',
      'app://other/index.html',
      'app://gazette:81/index.html',
      'file:///etc/passwd',
      'gazette-asset://article/x/a.png',
      'not a url',
    ]) {
      expect(rendererFileFor(url, rendererDir), url).toBeNull();
    }
  });
});

describe('debugging switches', () => {
  it('finds remote debugging and inspector switches in any spelling', () => {
    expect(debugSwitchesIn(['gazette', '--remote-debugging-port=9222'])).toEqual(['remote-debugging-port']);
    expect(debugSwitchesIn(['gazette', '--REMOTE-DEBUGGING-PIPE', '--inspect-brk=0', '--inspect'])).toEqual(['remote-debugging-pipe', 'inspect-brk', 'inspect']);
    expect(debugSwitchesIn(['gazette', '--workspace', 'D:/稿件', '--user-data=x'])).toEqual([]);
    // After `--` an argument is the app's own (a file name), not a switch.
    expect(debugSwitchesIn(['gazette', '--', '--remote-debugging-port=1'])).toEqual([]);
  });
});

describe('navigation and links', () => {
  it('compares parsed origins, not string prefixes', () => {
    expect(isAppUrl('http://localhost:5173/editor', devApp)).toBe(true);
    expect(isAppUrl('http://localhost:5173.evil.example/', devApp)).toBe(false);
    expect(isAppUrl('http://localhost:51730/', devApp)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', devApp)).toBe(false);
    expect(isAppUrl('http://user@localhost:5173/', devApp)).toBe(true);
    expect(isAppUrl('not a url', devApp)).toBe(false);
  });

  it('keeps the built app on its own app:// origin, never file://', () => {
    expect(isAllowedNavigation(`${appUrl}#/settings`, fileApp)).toBe(true);
    expect(isAllowedNavigation(pathToFileURL(indexPath).href, fileApp)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', fileApp)).toBe(false);
    expect(isAllowedNavigation('app://user@gazette/index.html', fileApp)).toBe(false);
    expect(isAllowedNavigation(pathToFileURL(join(root, 'app', 'package.json')).href, fileApp)).toBe(false);
    expect(isAllowedNavigation('https://www.gov.cn/', fileApp)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', fileApp)).toBe(false);
  });

  it('opens only plain http/https links in the system browser', () => {
    expect(externalUrlToOpen('https://www.gov.cn/zhengce/')).toBe('https://www.gov.cn/zhengce/');
    expect(externalUrlToOpen('http://portal.example.gov.cn/a?b=1')).toBe('http://portal.example.gov.cn/a?b=1');
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id',
      'vscode://open',
      'https://user:pass@example.com/',
      'not a url',
    ]) {
      expect(externalUrlToOpen(url), url).toBeNull();
    }
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string) => new Map(csp.split(';').map((part) => {
    const [name = '', ...values] = part.trim().split(/\s+/);
    return [name, values] as const;
  }));

  it('allows no inline or remote script, frames, plugins or form posts', () => {
    const policy = directives(APP_CSP);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    // Inline <style> elements are allowed for the sandboxed portal preview frame's theme; scripts are not.
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(APP_CSP).not.toMatch(/unsafe-eval|\*/);
  });

  it('is the policy in renderer/index.html (without frame-ancestors, which a meta tag cannot carry)', () => {
    const html = readFileSync(join(import.meta.dirname, '../../../renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta?.[1]).toBe(APP_CSP_META);
    expect(APP_CSP_META).not.toContain('frame-ancestors');
    expect(APP_CSP.startsWith(APP_CSP_META)).toBe(true);
  });
});

describe('asset URLs', () => {
  it('round-trips article ids and nested, non-ASCII file names', () => {
    const url = buildAssetUrl('art_abc123', 'assets/2021 会议/图 1.png');
    expect(url.startsWith('gazette-asset://article/art_abc123/assets/')).toBe(true);
    expect(parseAssetUrl(url)).toEqual({ articleId: 'art_abc123', src: 'assets/2021 会议/图 1.png' });
  });

  it('rejects other schemes, hosts and escaping paths', () => {
    expect(parseAssetUrl('gazette-asset://other/art/assets/a.png')).toBeNull();
    expect(parseAssetUrl('https://article/art/assets/a.png')).toBeNull();
    expect(parseAssetUrl('gazette-asset://article/art/assets/..%2f..%2fsecret')).toBeNull();
    expect(parseAssetUrl('gazette-asset://article/art/%2e%2e')).toBeNull();
    expect(parseAssetUrl('gazette-asset://article/art')).toBeNull();
    expect(parseAssetUrl('gazette-asset://article/art/a%5cb.png')).toBeNull();
  });
});

describe('window state', () => {
  const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
  const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

  it('restores a window that is still on a screen, including maximised', () => {
    const saved = { x: 2100, y: 100, width: 1400, height: 900, maximized: true };
    expect(restoreWindowState(saved, [laptop, rightMonitor])).toEqual(saved);
  });

  it('drops the position when its monitor was unplugged, keeping the size within the screen', () => {
    const saved = { x: 2100, y: 100, width: 2400, height: 1300, maximized: false };
    const restored = restoreWindowState(saved, [laptop]);
    expect(restored.x).toBeUndefined();
    expect(restored.y).toBeUndefined();
    expect(restored.width).toBeLessThanOrEqual(laptop.width);
    expect(restored.height).toBeLessThanOrEqual(laptop.height);
  });

  it('needs the title bar to be reachable, not just a corner', () => {
    expect(isGrabbable({ x: 1900, y: 100, width: 1200, height: 800 }, [laptop])).toBe(false);
    expect(isGrabbable({ x: 100, y: -500, width: 1200, height: 800 }, [laptop])).toBe(false);
    expect(isGrabbable({ x: -1000, y: 10, width: 1200, height: 800 }, [laptop])).toBe(true);
  });

  it('falls back to defaults for damaged data and enforces the minimum size', () => {
    for (const bad of [null, 'garbage', { width: 'wide' }, { width: -5, height: 10 }, []]) {
      const restored = restoreWindowState(bad, [laptop]);
      expect(restored.x).toBeUndefined();
      expect(restored.maximized).toBe(false);
      expect(restored.width).toBeGreaterThanOrEqual(MIN_WINDOW_SIZE.width);
    }
    expect(restoreWindowState({ x: 10, y: 10, width: 100, height: 50, maximized: false }, [laptop])).toMatchObject({
      width: MIN_WINDOW_SIZE.width,
      height: MIN_WINDOW_SIZE.height,
    });
  });

  it('survives a broken state file and writes a readable one', async () => {
    const file = join(root, 'window-state.json');
    writeFileSync(file, '{"x": 10, "y":');
    expect(await loadWindowState(file)).toBeNull();
    expect(await loadWindowState(join(root, 'missing.json'))).toBeNull();
    await saveWindowState(file, { x: 5, y: 6, width: 1000, height: 700, maximized: false });
    expect(restoreWindowState(await loadWindowState(file), [laptop])).toEqual({
      x: 5,
      y: 6,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });
});

describe('command line', () => {
  it('finds --workspace among Chromium switches, in both spellings', () => {
    expect(readSwitch(['electron', '--inspect=0', 'main.cjs', '--workspace', '/tmp/ws'], 'workspace')).toBe('/tmp/ws');
    expect(readSwitch(['Gazette.exe', '--workspace=D:\\稿件'], 'workspace')).toBe('D:\\稿件');
    expect(readSwitch(['Gazette.exe', '--workspace', '--user-data', 'x'], 'workspace')).toBeUndefined();
    expect(readSwitch(['Gazette.exe'], 'workspace')).toBeUndefined();
  });
});

describe('native menu', () => {
  const labels = (template: ReturnType<typeof buildMenuTemplate>) =>
    template.map((item) => ({
      label: item.label,
      items: Array.isArray(item.submenu) ? item.submenu.map((entry) => entry.label ?? entry.type) : [],
    }));

  it('is in Simplified Chinese by default, with editing roles', () => {
    const template = buildMenuTemplate('zh-CN', { isDev: false, isMac: false, onAbout: () => {}, recent: [], onCommand: () => {} });
    expect(template.map((item) => item.label)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    const edit = template[1]?.submenu;
    expect(Array.isArray(edit) && edit.filter((item) => item.role).map((item) => [item.role, item.label])).toEqual([
      ['undo', '撤销'],
      ['redo', '重做'],
      ['cut', '剪切'],
      ['copy', '复制'],
      ['paste', '粘贴'],
      ['pasteAndMatchStyle', '粘贴为纯文本'],
      ['selectAll', '全选'],
    ]);
    expect(labels(template).find((menu) => menu.label === '帮助')?.items).toEqual(['关于 Gazette']);
  });

  it('offers reload and developer tools only in development', () => {
    const prod = labels(buildMenuTemplate('zh-CN', { isDev: false, isMac: false, onAbout: () => {}, recent: [], onCommand: () => {} }));
    const dev = labels(buildMenuTemplate('zh-CN', { isDev: true, isMac: false, onAbout: () => {}, recent: [], onCommand: () => {} }));
    expect(prod.find((menu) => menu.label === '视图')?.items).not.toContain('重新加载');
    expect(dev.find((menu) => menu.label === '视图')?.items).toContain('重新加载');
    expect(prod.find((menu) => menu.label === '视图')?.items).toEqual(
      expect.arrayContaining(['实际大小', '放大', '缩小', '全屏']),
    );
  });

  it('switches to English and calls back for 关于', () => {
    let aboutShown = 0;
    const template = buildMenuTemplate('en', { isDev: false, isMac: false, onAbout: () => aboutShown++, recent: [], onCommand: () => {} });
    expect(template.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    const help = template.at(-1)?.submenu;
    const about = Array.isArray(help) ? help[0] : undefined;
    (about?.click as (() => void) | undefined)?.();
    expect(aboutShown).toBe(1);
  });
});
