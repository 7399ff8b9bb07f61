import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { releaseMemory } from '../../../node/services/store/release-memory';

describe('releasing memory after a load', () => {
  it('runs a full collection without leaving the collector reachable from any code', () => {
    expect(releaseMemory()).toBe(true);
    expect(releaseMemory()).toBe(true);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    // Contexts made afterwards (a vm sandbox, a page script) do not get it either.
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
