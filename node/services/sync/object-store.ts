import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync, deflateSync } from 'node:zlib';
import git from 'isomorphic-git';
import { isMissing } from '../store/atomic-file';
import { type ObjectSource, type ObjectType, parseTree, type TreeEntry } from './git-objects';
import { PackReader } from './pack-reader';

/*
 * The desktop's object store. Objects a commit writes are loose objects,
 * compressed and read back with Node's native zlib (isomorphic-git inflates in
 * JavaScript, several times slower on the 10,000-entry `articles/` tree every
 * commit rewrites); packed objects — what a join or a fetch brought — are read
 * from the packs the same way (./pack-reader.ts), isomorphic-git only for a
 * pack that reader does not know. The trees a commit just wrote stay parsed in memory,
 * so the next commit starts from them without reading anything.
 */

const TREE_CACHE_LIMIT = 64;

export class ObjectStore implements ObjectSource {
  readonly #gitdir: string;
  // isomorphic-git keeps parsed pack indexes here between calls.
  readonly #cache: object;
  readonly #trees = new Map<string, TreeEntry[]>();
  readonly #packs: PackReader;

  constructor(gitdir: string, cache: object = {}) {
    this.#gitdir = gitdir;
    this.#cache = cache;
    this.#packs = new PackReader(gitdir);
  }

  #path(oid: string): string {
    return join(this.#gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
  }

  async read(oid: string): Promise<{ type: ObjectType; data: Buffer }> {
    let deflated: Buffer | null = null;
    try {
      deflated = await readFile(this.#path(oid));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (deflated) {
      const raw = inflateSync(deflated);
      const space = raw.indexOf(0x20);
      const nul = raw.indexOf(0, space);
      return { type: raw.toString('latin1', 0, space) as ObjectType, data: raw.subarray(nul + 1) };
    }
    const packed = this.#packs.read(oid);
    if (packed) return packed;
    const result = await git.readObject({ fs, gitdir: this.#gitdir, oid, format: 'content', cache: this.#cache });
    return { type: result.type as ObjectType, data: Buffer.from(result.object as Uint8Array) };
  }

  /** A tree's entries; those of trees written or read lately come from memory. Callers must not change the array. */
  async tree(oid: string): Promise<readonly TreeEntry[]> {
    const cached = this.#trees.get(oid);
    if (cached) return cached;
    const object = await this.read(oid);
    if (object.type !== 'tree') throw new Error(`${oid} is a ${object.type}, not a tree`);
    const entries = parseTree(object.data);
    this.#remember(oid, entries);
    return entries;
  }

  #remember(oid: string, entries: TreeEntry[]): void {
    if (this.#trees.size >= TREE_CACHE_LIMIT) this.#trees.delete(this.#trees.keys().next().value!);
    this.#trees.set(oid, entries);
  }

  /**
   * Writes a loose object (unless it exists) and returns its id. The file is
   * synced before it is renamed into place: a branch is only ever moved to a
   * commit whose objects are on disk.
   */
  async write(type: ObjectType, data: Uint8Array): Promise<string> {
    const header = Buffer.from(`${type} ${data.length}\0`, 'latin1');
    const oid = createHash('sha1').update(header).update(data).digest('hex');
    const path = this.#path(oid);
    if (fs.existsSync(path)) return oid;
    await mkdir(join(this.#gitdir, 'objects', oid.slice(0, 2)), { recursive: true });
    const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    const handle = await open(temp, 'wx', 0o444);
    try {
      await handle.writeFile(deflateSync(Buffer.concat([header, data]), { level: 1 }));
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw error;
    }
    await handle.close();
    await rename(temp, path);
    return oid;
  }

  /** Writes a tree and keeps its entries parsed for the next commit. */
  async writeTree(entries: TreeEntry[], serialized: Buffer): Promise<string> {
    const oid = await this.write('tree', serialized);
    this.#remember(oid, entries);
    return oid;
  }
}
