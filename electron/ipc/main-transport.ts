import { type IpcMainInvokeEvent, ipcMain, type WebContents } from 'electron';
import { CHANNELS } from '../../shared/api/contract';
import type { Dispatch } from '../../shared/api/dispatch';
import type { Envelope } from '../../shared/api/errors';
import type { AppLocation } from '../shell/policy';
import { checkSender, type SenderInfo } from './sender';

/** Handle returned by {@link registerIpcTransport}. */
export interface IpcTransport {
  /** Lets this window's main frame call the API (forgotten when it is destroyed). */
  trust(webContents: WebContents): void;
  /** Removes every handler (tests, shutdown). */
  dispose(): void;
}

function describeSender(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame && !frame.isDestroyed() ? frame.url : null,
    isMainFrame: frame !== null && frame.parent === null,
  };
}

/**
 * The Electron side of the API: one `ipcMain.handle` per contract channel.
 * A call from anything but a trusted window's own page is logged and answered
 * with an `unauthorized` envelope; the handler never runs.
 */
export function registerIpcTransport(
  dispatch: Dispatch,
  app: AppLocation,
  log: (message: string) => void = console.warn,
): IpcTransport {
  const trustedIds = new Set<number>();

  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<Envelope<unknown>> => {
      const verdict = checkSender(describeSender(event), trustedIds, app);
      if (!verdict.trusted) {
        log(`[ipc] refused ${channel}: ${verdict.reason}`);
        return { ok: false, error: { code: 'unauthorized', detail: 'untrusted sender' } };
      }
      // Each window is its own session, so two windows may be signed in as different people.
      return dispatch(channel, payload, { transport: 'ipc', sessionId: `ipc:${event.sender.id}` });
    });
  }

  return {
    trust(webContents) {
      const id = webContents.id;
      trustedIds.add(id);
      webContents.once('destroyed', () => trustedIds.delete(id));
    },
    dispose() {
      for (const channel of CHANNELS) ipcMain.removeHandler(channel);
      trustedIds.clear();
    },
  };
}
