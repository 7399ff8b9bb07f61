import type { NotificationItem, NotificationList } from '../../../shared/api/contract';
import type { Invoke } from '../api/client';
import { createStore, type Store } from '../state/store';

/** How often the bell asks again while the window is open. */
export const INBOX_REFRESH_MS = 20_000;

export interface InboxState {
  /** The signed-in person's notifications; null until the first answer. */
  list: NotificationList | null;
  /** Why the last poll failed; the last good list stays shown. */
  error: unknown;
}

export interface InboxDeps {
  invoke: Invoke;
  /** True when the failure means the session ended (the sign-in screen then comes back). */
  handleSessionLoss(error: unknown): boolean;
  /**
   * Shows new unread notifications outside the window (the desktop app's OS
   * notifications); null where there is no such thing (the browser).
   */
  announce: ((fresh: readonly NotificationItem[]) => void) | null;
}

/**
 * The bell: the signed-in person's notifications, polled, with 全部已读 and
 * reading one by opening it. Notifications that appear between two polls are
 * announced (not the ones already there at the first poll: those are not news).
 */
export class NotificationInbox {
  readonly store: Store<InboxState> = createStore<InboxState>({ list: null, error: null });
  /** Ids seen in earlier answers for this person; null before the first answer. */
  #seen: Set<string> | null = null;
  #personKey = '';

  constructor(private readonly deps: InboxDeps) {}

  /** Starts afresh for another person (sign-in, sign-out): their list is not the last person's news. */
  reset(personKey: string): void {
    if (personKey === this.#personKey) return;
    this.#personKey = personKey;
    this.#seen = null;
    this.store.set({ list: null, error: null });
  }

  /** Asks for the list; failures keep the last known one. */
  async refresh(): Promise<void> {
    const personKey = this.#personKey;
    try {
      const list = await this.deps.invoke('notifications:list', {});
      if (personKey !== this.#personKey) return;
      this.#take(list, true);
    } catch (error) {
      if (!this.deps.handleSessionLoss(error)) this.store.set((state) => ({ ...state, error }));
    }
  }

  /** Marks one notification read (it was opened). */
  markRead(item: NotificationItem): Promise<void> {
    if (item.read) return Promise.resolve();
    return this.#mark({ ids: [item.id] });
  }

  /** 全部已读 */
  markAllRead(): Promise<void> {
    return this.#mark({ all: true });
  }

  async #mark(request: { ids: string[] } | { all: true }): Promise<void> {
    try {
      this.#take(await this.deps.invoke('notifications:markRead', request), false);
    } catch (error) {
      if (!this.deps.handleSessionLoss(error)) this.store.set((state) => ({ ...state, error }));
    }
  }

  #take(list: NotificationList, announce: boolean): void {
    const seen = this.#seen;
    const fresh = seen === null ? [] : list.items.filter((item) => !item.read && !seen.has(item.id));
    this.#seen = new Set([...(seen ?? []), ...list.items.map((item) => item.id)]);
    this.store.set({ list, error: null });
    if (announce && fresh.length > 0) this.deps.announce?.(fresh);
  }
}
