import { api } from '../api/client';
import { handleSessionLoss, loadSession } from '../state/session';
import { SyncController, type SyncInvoke } from './sync-controller';

const invokeSync: SyncInvoke = (channel, request) => api.invoke(channel, request);

/** The window's view of the office sync (the title bar, the list's badges, the log). */
export const sync = new SyncController({
  invoke: invokeSync,
  handleSessionLoss,
  // A policy from another desktop may have changed this person's roles: the window shows what it now allows.
  onPolicyMoved: () => void loadSession(),
});

/** Asks for the status again now (after the user's own acts: a save, a submit, an approval). */
export function refreshSyncStatus(): void {
  void sync.refresh();
}
