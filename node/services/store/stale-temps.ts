import type { Dirent } from 'node:fs';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTICLE_FILE } from './article-file';
import { isTempFor, statOrNull, TEMP_MARKER } from './atomic-file';

/** Folders never swept: quarantined files are kept as evidence, and git keeps its own house. */
const NOT_SWEPT = new Set(['quarantine', '.git']);

/**
 * Removes the temp files (`<name>.tmp-<random>`) that atomic writes leave
 * behind when the process dies between writing and renaming. Runs after the
 * store's own recovery, so an unfinished article save that recovery promoted
 * is already gone; a temp of an article whose `article.json` is still
 * missing is kept, since it may be the only copy of that text. Only files
 * last written before `startedAtMs` (this process's start) are touched: a
 * newer one belongs to a write under way, here or in another process.
 * Returns the workspace-relative paths removed.
 */
export async function removeStaleTemps(root: string, startedAtMs: number): Promise<string[]> {
  const removed: string[] = [];
  const sweep = async (dir: string, rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!NOT_SWEPT.has(entry.name)) await sweep(path, relPath);
        continue;
      }
      if (!entry.isFile() || !entry.name.includes(TEMP_MARKER)) continue;
      if (isTempFor(ARTICLE_FILE, entry.name) && statOrNull(join(dir, ARTICLE_FILE)) === null) continue;
      const info = await lstat(path).catch(() => null);
      if (!info?.isFile() || info.mtimeMs >= startedAtMs) continue;
      try {
        await unlink(path);
        removed.push(relPath);
      } catch {
        // Gone already, or not ours to remove: either way nothing to report.
      }
    }
  };
  await sweep(root, '');
  return removed;
}
