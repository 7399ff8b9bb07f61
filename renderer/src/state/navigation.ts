import { createStore } from './store';

/** Which screen is shown; the app is small enough not to need a router. */
export type Screen =
  | { name: 'list' }
  | { name: 'editor'; articleId: string }
  | { name: 'trash' }
  | { name: 'settings' }
  | { name: 'queue' }
  | { name: 'pending' };

/** The current screen. */
export const screenStore = createStore<Screen>({ name: 'list' });

type LeaveGuard = () => Promise<void>;
let leaveGuard: LeaveGuard | null = null;

/** A screen with unsaved work registers how to save it before the app moves away. */
export function setLeaveGuard(guard: LeaveGuard | null): void {
  leaveGuard = guard;
}

/** Goes to `screen`, first letting the current screen save its work. */
export async function navigate(screen: Screen): Promise<void> {
  const guard = leaveGuard;
  if (guard) {
    try {
      await guard();
    } catch {
      // The guard reports its own failures; leaving must still work.
    }
  }
  screenStore.set(screen);
}
