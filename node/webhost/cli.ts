import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Dispatch } from '../../shared/api/dispatch';
import { translate } from '../../shared/i18n';
import { createWebHost, type RunningWebHost } from './server';

/** The part of a services Workspace the web host uses. */
export interface HostedWorkspace {
  dispatch: Dispatch;
  assetPath(articleId: string, src: string): string | null | Promise<string | null>;
  close(): Promise<void>;
}

/** Options of `npm run web`, after parsing. */
export interface WebHostArgs {
  workspace: string | undefined;
  port: number;
  renderer: string | undefined;
  printJson: boolean;
}

/** Thrown for anything the user must fix; `message` is the one line to print. */
export class WebHostStartError extends Error {}

/** Parses `--workspace DIR --port N --renderer DIR --print-json`. */
export function parseWebHostArgs(argv: readonly string[]): WebHostArgs {
  let values: { workspace?: string; port?: string; renderer?: string; 'print-json'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        workspace: { type: 'string' },
        port: { type: 'string' },
        renderer: { type: 'string' },
        'print-json': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WebHostStartError(translate('zh-CN', 'webhost.badArgs', { detail }));
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new WebHostStartError(translate('zh-CN', 'webhost.badArgs', { detail: `--port ${values.port}` }));
  }
  return { workspace: values.workspace, port, renderer: values.renderer, printJson: values['print-json'] === true };
}

/**
 * The built renderer to serve: `--renderer` if given, else the first of
 * `candidates` that holds an index.html; a clear error when none does.
 */
export function resolveRendererDir(explicit: string | undefined, candidates: readonly string[]): string {
  const options = explicit ? [resolve(explicit)] : candidates.map((candidate) => resolve(candidate));
  const found = options.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) {
    throw new WebHostStartError(translate('zh-CN', 'webhost.rendererMissing', { path: options[0] ?? '' }));
  }
  return found;
}

/** A started web host with its workspace; `stop()` closes both (the workspace last, so it flushes). */
export interface StartedWebHost {
  host: RunningWebHost;
  workspaceDir: string;
  stop(): Promise<void>;
}

/** Opens the workspace and starts serving; everything `npm run web` does before waiting. */
export async function startWebHost(
  args: WebHostArgs,
  deps: {
    openWorkspace: (dir: string) => Promise<HostedWorkspace>;
    defaultWorkspaceDir: () => string;
    rendererCandidates: readonly string[];
    log?: (message: string) => void;
  },
): Promise<StartedWebHost> {
  const rendererDir = resolveRendererDir(args.renderer, deps.rendererCandidates);
  const workspaceDir = args.workspace ? resolve(args.workspace) : deps.defaultWorkspaceDir();
  let workspace: HostedWorkspace;
  try {
    workspace = await deps.openWorkspace(workspaceDir);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WebHostStartError(translate('zh-CN', 'webhost.workspaceFailed', { path: workspaceDir, detail }));
  }
  let host: RunningWebHost;
  try {
    host = await createWebHost({
      dispatch: workspace.dispatch,
      assetPath: (articleId, src) => workspace.assetPath(articleId, src),
      rendererDir,
      ...(deps.log ? { log: deps.log } : {}),
    }).listen(args.port);
  } catch (error) {
    await workspace.close();
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    host,
    workspaceDir,
    stop() {
      stopping ??= host.close().then(() => workspace.close());
      return stopping;
    },
  };
}
