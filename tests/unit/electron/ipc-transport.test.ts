import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../../shared/api/contract';
import type { Envelope } from '../../../shared/api/errors';

/*
 * The two IPC wrappers with a stand-in for the electron module (the real one
 * would try to download the Electron binary): what reaches the dispatcher,
 * and what the page can see.
 */

type Handler = (event: unknown, payload: unknown) => Promise<Envelope<unknown>>;
const fake = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (...args: unknown[]) => ({ ok: true, value: args })),
  rendererListeners: new Map<string, Set<(event: unknown, payload: unknown) => void>>(),
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => {
      fake.handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => fake.handlers.delete(channel),
  },
  ipcRenderer: {
    invoke: fake.invoke,
    on: (event: string, listener: (event: unknown, payload: unknown) => void) => {
      const set = fake.rendererListeners.get(event) ?? new Set();
      set.add(listener);
      fake.rendererListeners.set(event, set);
    },
    removeListener: (event: string, listener: (event: unknown, payload: unknown) => void) =>
      fake.rendererListeners.get(event)?.delete(listener),
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api),
  },
}));

const { registerIpcTransport } = await import('../../../electron/ipc/main-transport');

const root = mkdtempSync(join(tmpdir(), 'gazette-ipc-'));
const appUrl = 'app://gazette/index.html';

afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeWebContents(id: number) {
  const listeners = new Map<string, () => void>();
  return {
    id,
    once: (event: string, listener: () => void) => listeners.set(event, listener),
    destroy: () => listeners.get('destroyed')?.(),
  };
}

function fakeEvent(senderId: number, frame: { url: string; parent?: object | null; destroyed?: boolean } | null) {
  return {
    sender: { id: senderId },
    senderFrame: frame && {
      url: frame.url,
      parent: frame.parent ?? null,
      isDestroyed: () => frame.destroyed ?? false,
    },
  };
}

describe('main-transport', () => {
  const dispatch = vi.fn(async (channel: string, payload: unknown): Promise<Envelope<unknown>> => ({
    ok: true,
    value: { channel, payload },
  }));
  const log = vi.fn();
  let transport: ReturnType<typeof registerIpcTransport>;
  let window: ReturnType<typeof fakeWebContents>;

  beforeEach(() => {
    transport?.dispose();
    dispatch.mockClear();
    log.mockClear();
    transport = registerIpcTransport(dispatch, { kind: 'app' }, log);
    window = fakeWebContents(7);
    transport.trust(window as never);
  });

  const call = (channel: string, event: unknown, payload: unknown) => {
    const handler = fake.handlers.get(channel) as Handler | undefined;
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, payload);
  };

  it('registers exactly one handler per contract channel', () => {
    expect([...fake.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('passes a call from the app window to the dispatcher as an ipc call', async () => {
    const reply = await call('articles:list', fakeEvent(7, { url: `${appUrl}#/list` }), { query: '通知' });
    expect(reply).toEqual({ ok: true, value: { channel: 'articles:list', payload: { query: '通知' } } });
    expect(dispatch).toHaveBeenCalledWith('articles:list', { query: '通知' }, { transport: 'ipc', sessionId: 'ipc:7' });
  });

  it('refuses untrusted senders with an unauthorized envelope and never runs the handler', async () => {
    const refusals = [
      fakeEvent(8, { url: appUrl }), // a window we did not create
      fakeEvent(7, null), // frame already gone
      fakeEvent(7, { url: appUrl, destroyed: true }),
      fakeEvent(7, { url: appUrl, parent: {} }), // an iframe inside our window
      fakeEvent(7, { url: 'https://evil.example/' }), // our window navigated away
      fakeEvent(7, { url: pathToFileURL(join(root, 'Downloads', 'index.html')).href }),
    ];
    for (const event of refusals) {
      expect(await call('articles:purge', event, { id: 'abcdef' })).toEqual({
        ok: false,
        error: { code: 'unauthorized', detail: 'untrusted sender' },
      });
    }
    expect(dispatch).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(refusals.length);
  });

  it('forgets a window once it is destroyed', async () => {
    window.destroy();
    const reply = await call('articles:list', fakeEvent(7, { url: appUrl }), {});
    expect(reply.ok).toBe(false);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('removes its handlers on dispose', () => {
    transport.dispose();
    expect(fake.handlers.size).toBe(0);
  });
});

describe('main → page events', () => {
  let signedIn: boolean;
  const dispatch = vi.fn(async (channel: string): Promise<Envelope<unknown>> =>
    channel === 'session:get' ? { ok: true, value: { person: signedIn ? { id: 'p1', name: '张三' } : null } } : { ok: true, value: null },
  );
  const log = vi.fn();
  let transport: ReturnType<typeof registerIpcTransport>;

  function windowAt(id: number, url: string) {
    const sent: [string, unknown][] = [];
    const listeners = new Map<string, () => void>();
    return {
      sent,
      contents: {
        id,
        getURL: () => url,
        isDestroyed: () => false,
        send: (event: string, payload: unknown) => sent.push([event, payload]),
        once: (event: string, listener: () => void) => listeners.set(event, listener),
      },
    };
  }

  beforeEach(() => {
    transport?.dispose();
    signedIn = true;
    dispatch.mockClear();
    log.mockClear();
    transport = registerIpcTransport(dispatch, { kind: 'app' }, log);
  });

  it('sends a menu command to the trusted app window of a signed-in person, asking about that window’s own session', async () => {
    const window = windowAt(7, `${appUrl}#/list`);
    transport.trust(window.contents as never);
    expect(await transport.sendEvent(window.contents as never, 'menu:command', { command: 'openArticle', articleId: 'art_123456' })).toBe(true);
    expect(window.sent).toEqual([['menu:command', { command: 'openArticle', articleId: 'art_123456' }]]);
    expect(dispatch).toHaveBeenCalledWith('session:get', {}, { transport: 'ipc', sessionId: 'ipc:7' });
  });

  it('sends nothing to a window nobody is signed in to, one it did not create, a foreign page, or with a malformed payload', async () => {
    const signedOut = windowAt(7, appUrl);
    transport.trust(signedOut.contents as never);
    signedIn = false;
    expect(await transport.sendEvent(signedOut.contents as never, 'menu:command', { command: 'print' })).toBe(false);
    signedIn = true;

    const stranger = windowAt(8, appUrl);
    expect(await transport.sendEvent(stranger.contents as never, 'menu:command', { command: 'print' })).toBe(false);

    const navigatedAway = windowAt(9, 'https://evil.example/');
    transport.trust(navigatedAway.contents as never);
    expect(await transport.sendEvent(navigatedAway.contents as never, 'menu:command', { command: 'print' })).toBe(false);

    const trusted = windowAt(10, appUrl);
    transport.trust(trusted.contents as never);
    const bad = { command: 'openArticle', articleId: '../../etc' } as const;
    expect(await transport.sendEvent(trusted.contents as never, 'menu:command', bad)).toBe(false);
    expect(await transport.sendEvent(trusted.contents as never, 'menu:command', { command: 'rm -rf' } as never)).toBe(false);

    expect([...signedOut.sent, ...stranger.sent, ...navigatedAway.sent, ...trusted.sent]).toEqual([]);
    expect(log).toHaveBeenCalledTimes(5);
  });
});

describe('preload bridge', () => {
  it('lists exactly the contract channels (the preload cannot afford to import the contract)', async () => {
    const { BRIDGE_CHANNELS } = await import('../../../electron/ipc/channels');
    expect([...BRIDGE_CHANNELS].sort()).toEqual([...CHANNELS].sort());
  });

  it('lists exactly the contract events', async () => {
    const { BRIDGE_EVENTS } = await import('../../../electron/ipc/channels');
    const { appEvents } = await import('../../../shared/api/contract');
    expect([...BRIDGE_EVENTS].sort()).toEqual(Object.keys(appEvents).sort());
  });

  it('exposes only invoke, assetUrl and on on window.gazette', async () => {
    await import('../../../electron/preload');
    const bridge = fake.exposed.get('gazette') as Record<string, unknown>;
    expect([...fake.exposed.keys()]).toEqual(['gazette']);
    expect(Object.keys(bridge).sort()).toEqual(['assetUrl', 'invoke', 'on']);
  });

  it('passes a contract event to the page with its payload only, listens to nothing else, and stops when asked', async () => {
    await import('../../../electron/preload');
    const bridge = fake.exposed.get('gazette') as { on(event: string, listener: (payload: unknown) => void): () => void };
    const seen: unknown[] = [];
    const stop = bridge.on('menu:command', (payload) => seen.push(payload));
    const ipcEvent = { sender: { send: () => {} } };
    for (const listener of fake.rendererListeners.get('menu:command') ?? []) listener(ipcEvent, { command: 'print' });
    expect(seen).toEqual([{ command: 'print' }]);

    for (const name of ['articles:get', 'evil:event', '__proto__']) bridge.on(name, (payload) => seen.push(payload));
    expect([...fake.rendererListeners.keys()]).toEqual(['menu:command']);

    stop();
    expect(fake.rendererListeners.get('menu:command')?.size).toBe(0);
  });

  it('forwards contract channels with the payload only and refuses anything else locally', async () => {
    await import('../../../electron/preload');
    const bridge = fake.exposed.get('gazette') as {
      invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
      assetUrl(articleId: string, src: string): string;
    };
    fake.invoke.mockClear();
    await bridge.invoke('articles:get', { id: 'abcdef' });
    expect(fake.invoke).toHaveBeenCalledWith('articles:get', { id: 'abcdef' });

    for (const channel of ['evil:channel', '__proto__', 'constructor', 'ELECTRON_BROWSER_REQUIRE']) {
      const reply = await bridge.invoke(channel, {});
      expect(reply).toEqual({ ok: false, error: { code: 'unknown_channel', detail: channel } });
    }
    expect(fake.invoke).toHaveBeenCalledTimes(1);
  });

  it('builds asset URLs on the gazette-asset scheme', async () => {
    await import('../../../electron/preload');
    const bridge = fake.exposed.get('gazette') as { assetUrl(articleId: string, src: string): string };
    expect(bridge.assetUrl('art_123456', 'assets/会议 照片.png')).toBe(
      'gazette-asset://article/art_123456/assets/%E4%BC%9A%E8%AE%AE%20%E7%85%A7%E7%89%87.png',
    );
  });
});
