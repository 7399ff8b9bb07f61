import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Runs a full garbage collection now, so the heap the load of an archive grew
 * into is given back. V8 keeps the pages it grew to until it next collects on
 * its own, which an idle host may not do for a long time: after loading
 * 100,000 articles and building their full-text index the web host held
 * ~50 MB of free heap pages (bench/archive-100k.ts measures the store alone).
 * Node has no API for this without starting with --expose-gc, so the function
 * is fetched once from a fresh context with the flag briefly on.
 * Returns false when the engine would not give it.
 */
export function releaseMemory(): boolean {
  if (collect === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') collect = exposed;
    else {
      try {
        setFlagsFromString('--expose-gc');
        const fetched: unknown = runInNewContext('gc');
        collect = typeof fetched === 'function' ? (fetched as () => void) : null;
      } catch {
        collect = null;
      } finally {
        setFlagsFromString('--no-expose-gc');
      }
    }
  }
  if (!collect) return false;
  collect();
  return true;
}
