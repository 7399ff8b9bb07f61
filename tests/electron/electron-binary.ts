import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the Electron executable is, or why there is none. */
export type ElectronBinary = { ok: true; executablePath: string } | { ok: false; reason: string };

/**
 * Finds the Electron executable the way electron/index.js does, but without
 * loading that file: requiring it starts a download when the binary is
 * missing, and nothing may be downloaded here.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed (node_modules/electron is missing)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const executablePath = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(executablePath)
      ? { ok: true, executablePath }
      : { ok: false, reason: `Electron binary not found at ${executablePath} (from ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!relative) {
    return {
      ok: false,
      reason: `Electron binary not installed at ${join(packageDir, 'dist')} (${pathFile} is missing: the electron package's postinstall download never ran); it cannot be downloaded in this workplace`,
    };
  }
  const executablePath = join(packageDir, 'dist', relative);
  return existsSync(executablePath)
    ? { ok: true, executablePath }
    : {
        ok: false,
        reason: `Electron binary not installed at ${executablePath}; it cannot be downloaded in this workplace`,
      };
}
