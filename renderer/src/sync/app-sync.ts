import { api } from '../api/client';
import { handleSessionLoss } from '../state/session';
import { SyncController, type SyncInvoke } from './sync-controller';

const invokeSync: SyncInvoke = (channel, request) => api.invoke(channel, request);

/** The window's view of the office sync (the title bar, the list's badges, the log). */
export const sync = new SyncController({ invoke: invokeSync, handleSessionLoss });

/** Asks for the status again now (after the user's own acts: a save, a submit, an approval). */
export function refreshSyncStatus(): void {
  void sync.refresh();
}
