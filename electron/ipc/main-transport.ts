import { type IpcMainInvokeEvent, ipcMain, type WebContents } from 'electron';
import { type AppEvent, type AppEventPayload, appEvents, CHANNELS } from '../../shared/api/contract';
import type { Dispatch } from '../../shared/api/dispatch';
import type { Envelope } from '../../shared/api/errors';
import { type AppLocation, isAppUrl } from '../shell/policy';
import { checkSender, type SenderInfo } from './sender';

/** Handle returned by {@link registerIpcTransport}. */
export interface IpcTransport {
  /** Lets this window's main frame call the API (forgotten when it is destroyed). */
  trust(webContents: WebContents): void;
  /**
   * Sends a contract event to a trusted window showing the app, when its
   * session passes the event's declared access; resolves whether it was sent
   * (a refusal is logged, never thrown: a menu click has nobody to tell).
   */
  sendEvent<E extends AppEvent>(webContents: WebContents, event: E, payload: AppEventPayload<E>): Promise<boolean>;
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

  async function mayReceive(webContents: WebContents, event: AppEvent): Promise<string | null> {
    if (webContents.isDestroyed() || !trustedIds.has(webContents.id)) return `webContents ${webContents.id} is not a Gazette window`;
    const url = webContents.getURL();
    if (!isAppUrl(url, app)) return `foreign page ${url}`;
    const access: string | undefined = appEvents[event]?.access;
    if (access === 'anyone') return null;
    if (access !== 'signedIn') return 'no access declared';
    const reply = await dispatch('session:get', {}, { transport: 'ipc', sessionId: `ipc:${webContents.id}` });
    const person = reply.ok ? (reply.value as { person?: unknown } | null)?.person : null;
    return person ? null : 'nobody is signed in';
  }

  return {
    async sendEvent(webContents, event, payload) {
      const parsed = appEvents[event].payload.safeParse(payload);
      if (!parsed.success) {
        log(`[ipc] not sent ${event}: malformed payload`);
        return false;
      }
      const refusal = await mayReceive(webContents, event);
      if (refusal !== null) {
        log(`[ipc] not sent ${event}: ${refusal}`);
        return false;
      }
      webContents.send(event, parsed.data);
      return true;
    },
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
