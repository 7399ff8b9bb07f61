import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing, writeFileAtomic } from '../store/atomic-file';
import { isTree, readCommit } from './git-objects';
import type { ObjectStore } from './object-store';
import { OFFICE_SETTINGS_DIRS } from './office-files';
import { isSyncedPath } from './scope';

/*
 * Which synced files of a workspace changed since they were last known to
 * match the repository that carries them. The workspace is written by the app,
 * the CLI and package imports, often in other processes, so a sync cannot rely
 * on being told: it looks. Like git's index it remembers each clean file's
 * size, modification time and blob id (`.sync/files.json`), so a round reads
 * and hashes only files whose stat changed; the rest costs one stat each.
 */

const STATE_FORMAT = 'gazette/sync-files/v1';

/** A file's stat and blob id when it last matched its repository. */
type Known = [size: number, mtimeMs: number, oid: string];

export interface FileState {
  format: typeof STATE_FORMAT;
  files: Record<string, Known>;
}

/** The id git gives a file's bytes (`git hash-object`). */
export function blobOid(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export async function readFileState(file: string): Promise<FileState> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as FileState;
    if (parsed.format === STATE_FORMAT && parsed.files && typeof parsed.files === 'object') return parsed;
  } catch (error) {
    // A missing or damaged state only costs one full look at the files.
    if (!isMissing(error) && !(error instanceof SyntaxError)) throw error;
  }
  return { format: STATE_FORMAT, files: {} };
}

export async function writeFileState(file: string, state: FileState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(state));
}

async function names(dir: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

/**
 * Every synced file in the workspace (slash paths), found by walking only the
 * folders synced paths live in; with `only`, the office's own files and just
 * these articles' (folder, images, tombstone).
 */
export async function listSyncedFiles(dir: string, only?: { articles: readonly string[] }): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await names(join(dir, 'office'))) {
    if (!entry.dir) out.push(`office/${entry.name}`);
  }
  for (const entry of await names(join(dir, 'office', 'policy'))) out.push(`office/policy/${entry.name}`);
  for (const folder of OFFICE_SETTINGS_DIRS) {
    for (const entry of await names(join(dir, folder))) if (!entry.dir) out.push(`${folder}/${entry.name}`);
  }
  if (only) {
    for (const id of only.articles) out.push(...(await listArticleFiles(dir, id)));
    return out.filter(isSyncedPath);
  }
  for (const entry of await names(join(dir, 'tombstones'))) out.push(`tombstones/${entry.name}`);
  const articles = await names(join(dir, 'articles'));
  // A few folders at a time: thousands of readdir calls at once only queue in libuv.
  const batch = 64;
  for (let i = 0; i < articles.length; i += batch) {
    const lists = await Promise.all(
      articles.slice(i, i + batch).map(async ({ name, dir: isDir }) => {
        if (!isDir) return [];
        const base = `articles/${name}`;
        const inner = await names(join(dir, base));
        const files = inner.filter((e) => !e.dir).map((e) => `${base}/${e.name}`);
        if (inner.some((e) => e.dir && e.name === 'assets')) {
          for (const asset of await names(join(dir, base, 'assets'))) if (!asset.dir) files.push(`${base}/assets/${asset.name}`);
        }
        return files;
      }),
    );
    for (const list of lists) out.push(...list);
  }
  return out.filter(isSyncedPath);
}

/**
 * One article's synced files — its folder, its images, its tombstone — without
 * looking at any other article's folder: what `listSyncedFiles` gives for it.
 */
export async function listArticleFiles(dir: string, id: string): Promise<string[]> {
  const base = `articles/${id}`;
  const inner = await names(join(dir, base));
  const files = inner.filter((e) => !e.dir).map((e) => `${base}/${e.name}`);
  if (inner.some((e) => e.dir && e.name === 'assets')) {
    for (const asset of await names(join(dir, base, 'assets'))) if (!asset.dir) files.push(`${base}/assets/${asset.name}`);
  }
  const tombstone = await stat(join(dir, 'tombstones', `${id}.json`)).catch(() => null);
  if (tombstone?.isFile()) files.push(`tombstones/${id}.json`);
  return files.filter(isSyncedPath);
}

export interface ChangedFile {
  path: string;
  /** The blob id of the file now; null when it was deleted. */
  oid: string | null;
  size: number;
  mtimeMs: number;
}

/**
 * The synced files whose stat differs from what `state` remembers, with their
 * blob ids now, and the remembered files that are gone. Whether they differ
 * from the repository is the caller's question (a file written by a fetch
 * differs in stat only).
 *
 * `among` narrows the look to the office's own folders and these articles'
 * files (present or remembered): what a round needs when it knows which
 * articles were written since the last full look.
 */
export async function changedFiles(dir: string, state: FileState, among?: { articles: readonly string[] }): Promise<ChangedFile[]> {
  let present: string[];
  let remembered: string[];
  if (among) {
    const ids = new Set(among.articles);
    present = (await listSyncedFiles(dir, { articles: [...ids] })).filter(isSyncedPath);
    remembered = Object.keys(state.files).filter((path) => !articleOrTombstoneOf(path) || ids.has(articleOrTombstoneOf(path)!));
  } else {
    present = await listSyncedFiles(dir);
    remembered = Object.keys(state.files);
  }
  const seen = new Set(present);
  const changed: ChangedFile[] = [];
  const batch = 64;
  for (let i = 0; i < present.length; i += batch) {
    const rows = await Promise.all(
      present.slice(i, i + batch).map(async (path): Promise<ChangedFile | null> => {
        const info = await stat(join(dir, path)).catch(() => null);
        if (!info) return { path, oid: null, size: 0, mtimeMs: 0 };
        const known = state.files[path];
        if (known && known[0] === info.size && known[1] === info.mtimeMs) return null;
        const bytes = await readFile(join(dir, path)).catch((error: unknown) => {
          if (isMissing(error)) return null;
          throw error;
        });
        if (bytes === null) return { path, oid: null, size: 0, mtimeMs: 0 };
        if (known && known[2] === blobOid(bytes)) {
          // Touched, not changed: remember the new stat.
          state.files[path] = [info.size, info.mtimeMs, known[2]];
          return null;
        }
        return { path, oid: blobOid(bytes), size: info.size, mtimeMs: info.mtimeMs };
      }),
    );
    for (const row of rows) if (row) changed.push(row);
  }
  for (const path of remembered) {
    if (!seen.has(path)) changed.push({ path, oid: null, size: 0, mtimeMs: 0 });
  }
  return changed;
}

/** The article a synced path belongs to (its folder or its tombstone), or null for the office's own files. */
function articleOrTombstoneOf(path: string): string | null {
  return /^articles\/([^/]+)\//.exec(path)?.[1] ?? /^tombstones\/([^/]+)\.json$/.exec(path)?.[1] ?? null;
}

/** The blob id at `path` in a commit's tree, or null. */
export async function blobAt(source: ObjectStore, commit: string | null, path: string): Promise<string | null> {
  if (commit === null) return null;
  let tree = (await readCommit(source, commit)).tree;
  const parts = path.split('/');
  for (const [index, part] of parts.entries()) {
    const entry = (await source.tree(tree)).find((e) => e.name === part);
    if (!entry) return null;
    if (index === parts.length - 1) return isTree(entry) ? null : entry.oid;
    if (!isTree(entry)) return null;
    tree = entry.oid;
  }
  return null;
}

/** Every file path under `prefix` (a folder, with its slash) in a commit's tree. */
export async function pathsUnder(source: ObjectStore, commit: string | null, prefix: string): Promise<string[]> {
  if (commit === null) return [];
  let tree = (await readCommit(source, commit)).tree;
  for (const part of prefix.replace(/\/$/, '').split('/')) {
    const entry = (await source.tree(tree)).find((e) => e.name === part);
    if (!entry || !isTree(entry)) return [];
    tree = entry.oid;
  }
  const out: string[] = [];
  const walk = async (oid: string, base: string) => {
    for (const entry of await source.tree(oid)) {
      if (isTree(entry)) await walk(entry.oid, `${base}${entry.name}/`);
      else out.push(`${base}${entry.name}`);
    }
  };
  await walk(tree, prefix.endsWith('/') ? prefix : `${prefix}/`);
  return out;
}
