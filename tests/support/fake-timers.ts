import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Fake timers for each test of the calling file (or suite), set to `now` when
 * given; real ones again after each test, so no fake clock leaks into the next file.
 */
export function fakeTimersInEachTest(now?: string): void {
  beforeEach(() => {
    vi.useFakeTimers();
    if (now) vi.setSystemTime(new Date(now));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
