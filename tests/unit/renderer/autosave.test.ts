import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../shared/api/errors';
import { AutosaveQueue, type SaveState } from '../../../renderer/src/state/autosave';
import { isConflict } from '../../../renderer/src/state/errors';
import { fakeTimersInEachTest } from '../../support/fake-timers';

interface Call {
  state: string;
  base: string | undefined;
  resolve(updatedAt: string): void;
  reject(error: unknown): void;
}

/** A save function whose calls the test completes by hand. */
function manualSaver() {
  const calls: Call[] = [];
  const save = (state: string, base: string | undefined) =>
    new Promise<string>((resolve, reject) => calls.push({ state, base, resolve, reject }));
  return { calls, save };
}

function makeQueue(save: (state: string, base: string | undefined) => Promise<string>) {
  const states: SaveState[] = [];
  const backup = { written: [] as string[], cleared: 0 };
  const queue = new AutosaveQueue<string>({
    save,
    baseUpdatedAt: 'v0',
    onState: (state) => states.push(state),
    isConflict,
    backup: {
      write: (state) => backup.written.push(state),
      clear: () => {
        backup.cleared++;
      },
    },
    retryDelaysMs: [1000, 5000],
  });
  return { queue, states, backup };
}

describe('AutosaveQueue', () => {
  fakeTimersInEachTest();

  it('saves once after the writer pauses for the debounce interval', async () => {
    const { calls, save } = manualSaver();
    const { queue } = makeQueue(save);
    queue.update('a');
    queue.update('ab');
    await vi.advanceTimersByTimeAsync(399);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((call) => call.state)).toEqual(['ab']);
    expect(calls[0]?.base).toBe('v0');
  });

  it('saves within the max wait even while the writer keeps typing', async () => {
    const { calls, save } = manualSaver();
    const { queue } = makeQueue(save);
    for (let ms = 0; ms < 1000; ms += 100) {
      queue.update(`text-${ms}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(calls).toHaveLength(1);
    expect(calls[0]?.state).toBe('text-900');
  });

  it('says “pending” once while the writer keeps typing, not on every change (each time re-renders the editor screen)', async () => {
    const { calls, save } = manualSaver();
    const { queue, states } = makeQueue(save);
    for (let ms = 0; ms < 300; ms += 100) {
      queue.update(`text-${ms}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(states.map((state) => state.kind)).toEqual(['pending']);
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve('v1');
    await vi.advanceTimersByTimeAsync(0);
    queue.update('again');
    expect(states.map((state) => state.kind)).toEqual(['pending', 'saving', 'saved', 'pending']);
  });

  it('stops saying “saved” as soon as an edit is expected, before the edit itself arrives', async () => {
    const { calls, save } = manualSaver();
    const { queue, states } = makeQueue(save);
    queue.update('a');
    await vi.advanceTimersByTimeAsync(400);
    calls[0]?.resolve('v1');
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.state.kind).toBe('saved');
    queue.expectChange();
    expect(queue.state.kind).toBe('pending');
    queue.update('ab');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((call) => call.state)).toEqual(['a', 'ab']);
    // While a save is out, an expected edit leaves the status alone: it says 正在保存 already.
    queue.expectChange();
    expect(states.map((state) => state.kind)).toEqual(['pending', 'saving', 'saved', 'pending', 'saving']);
  });

  it('an edit announced while a save is out keeps the status at saving once that save returns', async () => {
    const { calls, save } = manualSaver();
    const { queue, states } = makeQueue(save);
    queue.update('photo');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toHaveLength(1);
    // The writer sets the alt text while the photo's save is out; the editor delivers it later.
    queue.expectChange();
    calls[0]?.resolve('v1');
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.state.kind).toBe('pending');
    expect(states.map((state) => state.kind)).not.toContain('saved');
    queue.update('photo with alt');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((call) => call.state)).toEqual(['photo', 'photo with alt']);
    calls[1]?.resolve('v2');
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.state.kind).toBe('saved');
  });

  it('keeps one request in flight and sends the latest state after it, with the new base', async () => {
    const { calls, save } = manualSaver();
    const { queue, states } = makeQueue(save);
    queue.update('one');
    await vi.advanceTimersByTimeAsync(400);
    queue.update('two');
    queue.update('three');
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve('v1');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ state: 'three', base: 'v1' });
    calls[1]?.resolve('v2');
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)?.kind).toBe('saved');
    expect(queue.baseUpdatedAt).toBe('v2');
    expect(queue.hasUnsavedChanges).toBe(false);
  });

  it('keeps the state in the backup on failure and retries with backoff', async () => {
    const { calls, save } = manualSaver();
    const { queue, states, backup } = makeQueue(save);
    queue.update('draft');
    await vi.advanceTimersByTimeAsync(400);
    calls[0]?.reject(new ApiError('internal', 'disk full'));
    await vi.advanceTimersByTimeAsync(0);
    const failed = states.at(-1);
    expect(failed?.kind).toBe('failed');
    expect(failed?.kind === 'failed' && failed.retryInMs).toBe(1000);
    expect(backup.written.at(-1)).toBe('draft');
    expect(queue.hasUnsavedChanges).toBe(true);

    // Typing during the backoff is kept but does not hammer the failing service.
    queue.update('draft, more');
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    expect(backup.written.at(-1)).toBe('draft, more');
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.state).toBe('draft, more');

    calls[1]?.reject(new ApiError('internal', 'still full'));
    await vi.advanceTimersByTimeAsync(0);
    const second = states.at(-1);
    expect(second?.kind === 'failed' && second.retryInMs).toBe(5000);

    queue.retryNow();
    expect(calls).toHaveLength(3);
    calls[2]?.resolve('v1');
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)?.kind).toBe('saved');
    expect(backup.cleared).toBe(1);
  });

  it('stops on a conflict until the writer keeps their version, then saves without a base', async () => {
    const { calls, save } = manualSaver();
    const { queue, states } = makeQueue(save);
    queue.update('mine');
    await vi.advanceTimersByTimeAsync(400);
    calls[0]?.reject(new ApiError('conflict', 'changed at 10:00'));
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)?.kind).toBe('conflict');
    queue.update('mine, edited');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);

    const kept = queue.keepMine();
    expect(calls[1]).toMatchObject({ state: 'mine, edited', base: undefined });
    calls[1]?.resolve('v9');
    await expect(kept).resolves.toBe(true);
    expect(queue.baseUpdatedAt).toBe('v9');
  });

  it('flush sends at once and resolves when everything is saved', async () => {
    const { calls, save } = manualSaver();
    const { queue } = makeQueue(save);
    queue.update('x');
    const flushed = queue.flush();
    expect(calls).toHaveLength(1);
    queue.update('xy');
    calls[0]?.resolve('v1');
    await vi.advanceTimersByTimeAsync(0);
    // The change made while the first request was out is sent before flush resolves.
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('v2');
    await expect(flushed).resolves.toBe(true);
  });

  it('flush resolves false when the save fails, and the state is not lost', async () => {
    const { calls, save } = manualSaver();
    const { queue, backup } = makeQueue(save);
    queue.update('precious');
    const flushed = queue.flush();
    calls[0]?.reject(new Error('offline'));
    await expect(flushed).resolves.toBe(false);
    expect(backup.written).toContain('precious');
    expect(queue.hasUnsavedChanges).toBe(true);
  });

  it('flushNow writes the backup synchronously (for pagehide)', () => {
    const { save } = manualSaver();
    const { queue, backup } = makeQueue(save);
    queue.update('last words');
    queue.flushNow();
    expect(backup.written).toContain('last words');
  });

  it('a save that throws synchronously is treated as a failure, not a crash', async () => {
    const { queue, states } = makeQueue(() => {
      throw new Error('boom');
    });
    queue.update('x');
    await vi.advanceTimersByTimeAsync(400);
    expect(states.at(-1)?.kind).toBe('failed');
  });
});
