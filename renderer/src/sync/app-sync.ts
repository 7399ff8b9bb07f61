import { api } from '../api/client';
import { handleSessionLoss } from '../state/session';
import { SyncController, type SyncInvoke } from './sync-controller';

/**
 * The transport's call, seen through the sync channels' own contract file: the
 * transport carries any channel by name, and this view stays exact whether or
 * not the contract's index has merged these channels in yet.
 */
export const invokeSync = api.invoke.bind(api) as unknown as SyncInvoke;

/** The window's view of the office sync (the title bar, the list's badges, the log). */
export const sync = new SyncController({ invoke: invokeSync, handleSessionLoss });

/** Asks for the status again now (after the user's own acts: a save, a submit, an approval). */
export function refreshSyncStatus(): void {
  void sync.refresh();
}
