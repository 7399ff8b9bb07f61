import { contextBridge, ipcRenderer } from 'electron';
import type { Channel } from '../shared/api/contract';
import type { Envelope } from '../shared/api/errors';
import { BRIDGE_CHANNELS, BRIDGE_EVENTS } from './ipc/channels';
import { buildAssetUrl } from './shell/asset-url';

/*
 * Sandboxed preload (bundled to dist/electron/preload.cjs). It exposes exactly
 * the GazetteBridge of renderer/src/api/bridge.ts: never ipcRenderer itself,
 * never an IPC event object.
 */

const knownChannels: ReadonlySet<string> = new Set<string>(BRIDGE_CHANNELS);
const knownEvents: ReadonlySet<string> = new Set<string>(BRIDGE_EVENTS);

function isKnownChannel(name: unknown): name is Channel {
  return typeof name === 'string' && knownChannels.has(name);
}

const bridge = {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>> {
    if (!isKnownChannel(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_channel', detail: String(channel) } });
    }
    return ipcRenderer.invoke(channel, payload) as Promise<Envelope<unknown>>;
  },
  assetUrl(articleId: string, src: string): string {
    return buildAssetUrl(String(articleId), String(src));
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!knownEvents.has(event) || typeof listener !== 'function') return () => {};
    // The page gets the payload alone: the IPC event object would hand it ipcRenderer's sender.
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('gazette', bridge);
