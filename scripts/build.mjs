// Builds everything the app runs from: the renderer (Vite) and the Node-side
// bundles (esbuild). Electron's main bundles all its dependencies so the
// packaged app needs no node_modules lookups; the preload must be a single
// CommonJS file because a sandboxed preload can only require 'electron'.
import { rm } from 'node:fs/promises';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const started = Date.now();
await rm('dist', { recursive: true, force: true });

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
// The office sync starts its worker from the file beside the running bundle, found through import.meta.url, which CommonJS lacks.
const cjsMetaUrl = {
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};
await Promise.all([
  viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' }),
  // ssh2 loads optional native addons at run time, and sharp its libvips binary for the platform:
  // they stay in node_modules (packaged by electron-builder, unpacked from the asar).
  esbuild({ ...node, ...cjsMetaUrl, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron', 'ssh2', 'ssh2-sftp-client', 'cpu-features', 'sharp'] }),
  esbuild({ ...node, ...cjsMetaUrl, entryPoints: ['node/services/sync/sync-worker.ts'], outfile: 'dist/electron/sync-worker.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...node, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...node, entryPoints: ['node/webhost/main.ts'], outfile: 'dist/node/webhost.mjs', format: 'esm', packages: 'external' }),
  esbuild({ ...node, entryPoints: ['node/cli/gazette.ts'], outfile: 'dist/node/cli.mjs', format: 'esm', packages: 'external' }),
  esbuild({ ...node, entryPoints: ['node/services/sync/sync-worker.ts'], outfile: 'dist/node/sync-worker.mjs', format: 'esm', packages: 'external' }),
  // Proofreading's thread (node/services/proofread/check-thread.ts), beside each bundle that starts it.
  esbuild({ ...node, ...cjsMetaUrl, entryPoints: ['node/services/proofread/check-worker.ts'], outfile: 'dist/electron/check-worker.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...node, entryPoints: ['node/services/proofread/check-worker.ts'], outfile: 'dist/node/check-worker.mjs', format: 'esm', packages: 'external' }),
  // The import thread (node/services/import/import-thread.ts), likewise.
  esbuild({ ...node, ...cjsMetaUrl, entryPoints: ['node/services/import/import-worker.ts'], outfile: 'dist/electron/import-worker.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...node, entryPoints: ['node/services/import/import-worker.ts'], outfile: 'dist/node/import-worker.mjs', format: 'esm', packages: 'external' }),
]);
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
