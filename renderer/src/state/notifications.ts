import { describeError } from './errors';
import { handleSessionLoss } from './session';
import { currentLocale } from './settings';
import { createStore } from './store';

/** One toast; errors stay until dismissed, notices fade. */
export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

const MAX_TOASTS = 5;
let nextId = 1;

/** The visible toasts, newest last. */
export const toastStore = createStore<Toast[]>([]);

/** Shows a message; returns its id. */
export function pushToast(kind: Toast['kind'], text: string): number {
  const id = nextId++;
  toastStore.set((toasts) => [...toasts.filter((toast) => toast.text !== text), { id, kind, text }].slice(-MAX_TOASTS));
  if (kind === 'info') setTimeout(() => dismissToast(id), 4000);
  return id;
}

/** Shows an API (or any) failure in the user's language. */
export function notifyError(error: unknown): void {
  // A lost session (host restarted, signed out in another tab) brings the sign-in screen back.
  handleSessionLoss(error);
  pushToast('error', describeError(currentLocale(), error));
}

/** Removes a toast. */
export function dismissToast(id: number): void {
  toastStore.set((toasts) => toasts.filter((toast) => toast.id !== id));
}
