import type { PendingPublications } from '../../../shared/api/contract';
import { api } from '../api/client';
import { handleSessionLoss } from '../state/session';
import { createStore } from '../state/store';

/** 待发布 for the signed-in publisher; read when the screen opens and when asked. */
export const pendingStore = createStore<{ pending: PendingPublications | null; error: unknown }>({ pending: null, error: null });

/** Reads the list again; a failure keeps the last one and says why. */
export async function refreshPending(): Promise<void> {
  try {
    const pending = await api.invoke('publish:pending', {});
    pendingStore.set({ pending, error: null });
  } catch (error) {
    if (!handleSessionLoss(error)) pendingStore.set((state) => ({ ...state, error }));
  }
}
