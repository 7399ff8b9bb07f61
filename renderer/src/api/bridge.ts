import type { Envelope } from '../../../shared/api/errors';

/**
 * The one object the Electron preload exposes on `window.gazette`. The web
 * host has no such object; the renderer then talks HTTP to the same contract.
 */
export interface GazetteBridge {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  assetUrl(articleId: string, src: string): string;
  /**
   * Calls `listener` with the payload of each `event` the main side sends
   * (only the contract's events; see shared/api/contract/events.ts); returns
   * the way to stop listening.
   */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    gazette?: GazetteBridge;
  }
}
