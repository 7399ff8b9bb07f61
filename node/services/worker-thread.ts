import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Starts the worker thread whose file sits beside the calling module
 * (`callerUrl`, its `import.meta.url`): `<name>.ts` when running from source
 * (tests, `tsx`), the bundle's `<name>.mjs` / `.cjs` in the built app
 * (scripts/build.mjs writes one beside each bundle that loads the caller).
 * From source the worker is TypeScript: a one-line module registers tsx's
 * loader in the new thread first (the main thread's loader does not carry
 * over), then loads it. `what` names the worker in errors; `resourceLimits`
 * caps the thread's heap (the thread dies, the process lives on).
 */
export function spawnWorkerBeside(
  callerUrl: string,
  name: string,
  workerData: { mark: string },
  what: string,
  resourceLimits?: ResourceLimits,
): Worker {
  const here = dirname(fileURLToPath(callerUrl));
  const found = (
    [
      [`${name}.ts`, true],
      [`${name}.mjs`, false],
      [`${name}.cjs`, false],
    ] as const
  ).find(([file]) => existsSync(join(here, file)));
  if (!found) throw new Error(`${what} is missing beside ${here} (run npm run build)`);
  const url = pathToFileURL(join(here, found[0]));
  const data = { ...workerData, entry: url.href };
  if (!found[1]) return new Worker(url, { workerData: data, resourceLimits });
  const boot = [
    "const { workerData } = await import('node:worker_threads');",
    `const { register } = await import(${JSON.stringify(tsxLoaderUrl(callerUrl, what))});`,
    'register();',
    'await import(workerData.entry);',
  ].join('\n');
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: data, resourceLimits });
}

/** tsx's module-loader entry, found through its package.json (this thread's loader may be another tool's: vitest's). */
function tsxLoaderUrl(callerUrl: string, what: string): string {
  const require = createRequire(callerUrl);
  const manifest = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const entry = pkg.exports['./esm/api']?.import.default;
  if (!entry) throw new Error(`tsx has no ./esm/api entry: cannot run ${what} from source`);
  return pathToFileURL(join(dirname(manifest), entry)).href;
}
