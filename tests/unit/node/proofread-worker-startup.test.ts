import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/*
 * The first check after a start waits for the proofreading worker to load its
 * code. Compiling zod's 750 KB on every start cost a fifth of that first
 * check, for one date helper; the worker is held to what a check needs.
 */
describe("proofreading worker's code", () => {
  it('loads no schema library: the bundle the app ships holds the checks, their lists and messages only', async () => {
    const result = await build({
      entryPoints: [join(import.meta.dirname, '../../../node/services/proofread/check-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const packages = new Set(
      Object.keys(result.metafile.inputs)
        .filter((input) => input.includes('node_modules/'))
        .map((input) => input.split('node_modules/')[1]?.split('/')[0]),
    );
    expect([...packages]).toEqual([]);
    const bytes = result.outputFiles[0]?.contents.length ?? 0;
    // The segmentation word list alone is about 2.1 MB of the bundle.
    expect(bytes).toBeLessThan(3_000_000);
  }, 60_000);
});
