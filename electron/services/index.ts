import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api/contract';
import { createDispatcher, type Dispatch } from '../../shared/api/dispatch';
import { articleToHtmlDocument } from '../../shared/html/serialize';
import { createApiHandlers } from './api-handlers';
import { importFileBuffer, importPortalText } from './import';
import { WorkspaceStore } from './store/workspace-store';
import { buildFromTemplate } from './templates';

/** An open workspace: the API both transports and the CLI call, plus asset lookup. */
export interface Workspace {
  dir: string;
  handlers: ApiHandlers;
  dispatch: Dispatch;
  /** Absolute path of an article's asset, or null if `src` is not a file inside its assets folder. */
  assetPath(articleId: string, src: string): string | null;
  /** Finishes pending writes and flushes the index; call before the process exits. */
  close(): Promise<void>;
}

/** Opens the workspace in `dir` (created if missing) with every service wired up. */
export async function openWorkspace(
  dir: string,
  options: { now?: () => Date; log?: (msg: string) => void } = {},
): Promise<Workspace> {
  const log = options.log ?? (() => {});
  const store = await WorkspaceStore.open(dir, { now: options.now, log });
  const handlers = createApiHandlers(store, {
    buildFromTemplate,
    importFileBuffer,
    importPortalText,
    articleToHtmlDocument,
    log,
  });
  return {
    dir: store.dir,
    handlers,
    dispatch: createDispatcher(handlers, log),
    assetPath: (articleId, src) => store.assetPath(articleId, src),
    close: () => store.close(),
  };
}

/** Where the workspace lives when the user has not chosen a folder. */
export function defaultWorkspaceDir(userDataDir: string): string {
  return join(userDataDir, 'workspace');
}
