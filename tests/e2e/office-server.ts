import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { missingPackages, setUser, startServer, stopServer } from '../../scripts/office-server/kit';
import { launchHost, type RunningHost } from './host';
import { freePort } from '../support/free-port';

const root = resolve(import.meta.dirname, '../..');

/*
 * What the office-sync e2e needs beyond one web host: the real office server
 * (the kit: Apache + git-http-backend + the hooks) on a free port, web hosts
 * on workspaces that are NOT set up (a fresh desktop that joins through the
 * UI), and the built CLI for what an administrator does at a command line.
 */

/** Why the office server cannot run here, or null. */
export function officeServerMissing(): string | null {
  const missing = missingPackages();
  return missing.length > 0 ? `missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)` : null;
}

export interface OfficeServer {
  dir: string;
  /** The base URL desktops join, e.g. http://127.0.0.1:41234/git/ */
  url: string;
  /** Adds a login (the person's id) with the person's password. */
  addLogin(personId: string, password: string): void;
  stop(): Promise<void>;
}

/** Starts the kit's office server in a temporary folder on a free port. */
export async function startOfficeServer(): Promise<OfficeServer> {
  const base = mkdtempSync(join(tmpdir(), 'gazette-e2e-office-server-'));
  // Started as root, Apache's workers run as www-data and must be able to enter the folder.
  chmodSync(base, 0o755);
  const dir = join(base, 'server');
  const port = await freePort();
  const { url } = await startServer({ dir, port });
  return {
    dir,
    url,
    addLogin: (personId, password) => setUser(dir, personId, password),
    stop: async () => {
      await stopServer(dir);
    },
  };
}

/** The built CLI (`dist/node/cli.mjs`) in its own process; the password travels in the environment, never argv. */
export function gazetteCli(args: readonly string[], password: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'dist/node/cli.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GAZETTE_PASSWORD: password },
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The built web host on a workspace left as it is: no first-run setup, so a
 * fresh folder shows the setup screen with 加入办公室服务器 (tests/e2e/host.ts
 * sets every workspace up; a desktop that joins must not be).
 */
export async function startBareHost(workspace: string): Promise<RunningHost> {
  // Nobody is set up here: the script's bearer session signs in once someone has joined.
  return { ...(await launchHost(workspace)), adminId: '' };
}
