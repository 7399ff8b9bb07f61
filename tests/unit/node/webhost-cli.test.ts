import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/api/errors';
import {
  type HostedWorkspace,
  parseWebHostArgs,
  resolveRendererDir,
  startWebHost,
  WebHostStartError,
} from '../../../node/webhost/cli';
import { userDataDir } from '../../../node/webhost/paths';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gazette-webhost-cli-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function makeRenderer(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<div id="root"></div>');
  return dir;
}

describe('parseWebHostArgs', () => {
  it('reads the workspace, port, renderer and --print-json', () => {
    expect(parseWebHostArgs(['--workspace', '/data/ws', '--port', '5174', '--renderer', 'out', '--print-json'])).toEqual({
      workspace: '/data/ws',
      port: 5174,
      renderer: 'out',
      printJson: true,
    });
    expect(parseWebHostArgs([])).toEqual({ workspace: undefined, port: 0, renderer: undefined, printJson: false });
  });

  it('rejects a bad port or an unknown option with a readable message', () => {
    expect(() => parseWebHostArgs(['--port', 'abc'])).toThrow(WebHostStartError);
    expect(() => parseWebHostArgs(['--port', '70000'])).toThrow(/--port 70000/);
    expect(() => parseWebHostArgs(['--wrokspace', 'x'])).toThrow(/参数有误/);
  });
});

describe('resolveRendererDir', () => {
  it('picks the first candidate that has an index.html', () => {
    const built = makeRenderer(join(root, 'dist', 'renderer'));
    expect(resolveRendererDir(undefined, [join(root, 'nowhere'), built])).toBe(built);
  });

  it('tells the user to build when nothing is built', () => {
    expect(() => resolveRendererDir(undefined, [join(root, 'dist', 'renderer')])).toThrow(/npm run build/);
    expect(() => resolveRendererDir(join(root, 'custom'), [])).toThrow(join(root, 'custom'));
  });
});

describe('startWebHost', () => {
  it('opens the workspace, serves it, and on stop closes the server before the workspace', async () => {
    const renderer = makeRenderer(join(root, 'renderer'));
    const events: string[] = [];
    let hostUrl = '';
    const workspace: HostedWorkspace = {
      dispatch: async (channel): Promise<Envelope<unknown>> => ({ ok: true, value: channel }),
      assetPath: () => null,
      close: async () => {
        // Nothing may reach the workspace while it flushes: the server must already be down.
        events.push(await fetch(hostUrl).then(() => 'server still up', () => 'server down'));
        events.push('workspace closed');
      },
    };
    const opened: string[] = [];
    const started = await startWebHost(
      { workspace: join(root, 'ws'), port: 0, renderer, printJson: false },
      {
        openWorkspace: async (dir) => {
          opened.push(dir);
          return workspace;
        },
        defaultWorkspaceDir: () => join(root, 'default'),
        rendererCandidates: [],
      },
    );
    expect(opened).toEqual([join(root, 'ws')]);
    hostUrl = started.host.url;
    expect(started.host.bootstrapUrl).toBe(`http://127.0.0.1:${started.host.port}/?token=${started.host.token}`);
    const reply = await fetch(`${started.host.url}api/settings%3Aget`, {
      method: 'POST',
      headers: { authorization: `Bearer ${started.host.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await reply.json()).toEqual({ ok: true, value: 'settings:get' });

    await Promise.all([started.stop(), started.stop()]);
    expect(events).toEqual(['server down', 'workspace closed']);
    await expect(fetch(started.host.url)).rejects.toThrow();
  });

  it('uses the default workspace when none is given and reports a workspace that cannot open', async () => {
    const renderer = makeRenderer(join(root, 'renderer'));
    await expect(
      startWebHost(
        { workspace: undefined, port: 0, renderer, printJson: false },
        {
          openWorkspace: async (dir) => {
            throw new Error(`locked: ${dir}`);
          },
          defaultWorkspaceDir: () => join(root, 'default-ws'),
          rendererCandidates: [],
        },
      ),
    ).rejects.toThrow(`无法打开文稿目录 ${join(root, 'default-ws')}`);
  });
});

describe('userDataDir', () => {
  it('matches where Electron keeps Gazette user data on each OS', () => {
    expect(userDataDir('win32', { APPDATA: 'C:\\Users\\li\\AppData\\Roaming' }, 'C:\\Users\\li')).toBe(
      'C:\\Users\\li\\AppData\\Roaming\\Gazette',
    );
    expect(userDataDir('darwin', {}, '/Users/li')).toBe('/Users/li/Library/Application Support/Gazette');
    expect(userDataDir('linux', {}, '/home/li')).toBe('/home/li/.config/Gazette');
    expect(userDataDir('linux', { XDG_CONFIG_HOME: '/srv/cfg' }, '/home/li')).toBe('/srv/cfg/Gazette');
    // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
    expect(userDataDir('linux', { XDG_CONFIG_HOME: 'cfg' }, '/home/li')).toBe('/home/li/.config/Gazette');
  });
});
