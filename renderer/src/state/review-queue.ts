import type { ReviewQueue } from '../../../shared/api/contract';
import { api } from '../api/client';
import { handleSessionLoss } from './session';
import { createStore } from './store';

/** What waits for the signed-in person; `count` is the navigation badge. */
export const reviewQueueStore = createStore<{ queue: ReviewQueue | null; error: unknown }>({ queue: null, error: null });

/** How often the badge asks again while the window is open. */
export const QUEUE_REFRESH_MS = 30_000;

/** Refreshes the queue; failures keep the last known list. */
export async function refreshReviewQueue(): Promise<void> {
  try {
    const queue = await api.invoke('review:queue', {});
    reviewQueueStore.set({ queue, error: null });
  } catch (error) {
    if (!handleSessionLoss(error)) reviewQueueStore.set((state) => ({ ...state, error }));
  }
}
