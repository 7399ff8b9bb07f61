/*
 * Git objects read and written byte for byte. The office server's hook reads
 * them through `git cat-file --batch`, the desktop through isomorphic-git; both
 * parse them here, so the server and every desktop check the same bytes the
 * same way — in particular the exact payload a commit signature covers.
 */

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** Reads raw objects by id (without git's `type size\0` header). Throws when an object is missing. */
export interface ObjectSource {
  read(oid: string): Promise<{ type: ObjectType; data: Buffer }>;
}

export interface Identity {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** `+0800` */
  timezone: string;
}

export interface ParsedCommit {
  oid: string;
  tree: string;
  parents: string[];
  author: Identity | null;
  committer: Identity | null;
  message: string;
  /** The armored signature of the `gpgsig` header, with its final newline; null when unsigned. */
  signature: string | null;
  /** What the signature covers: the commit object without its signature header. */
  payload: Buffer;
}

export interface TreeEntry {
  /** `100644`, `100755`, `120000`, `40000` (tree), `160000` (submodule). */
  mode: string;
  name: string;
  oid: string;
}

export const TREE_MODE = '40000';
export const FILE_MODE = '100644';

export const isTree = (entry: Pick<TreeEntry, 'mode'>): boolean => entry.mode === TREE_MODE || entry.mode === '040000';

function parseIdentity(value: string): Identity | null {
  const match = /^(.*) <([^<>]*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (!match) return null;
  return { name: match[1]!, email: match[2]!, timestamp: Number(match[3]), timezone: match[4]! };
}

/** Parses a raw commit object. Throws on something that is not one. */
export function parseCommit(oid: string, data: Buffer): ParsedCommit {
  const text = data.toString('utf8');
  const end = text.indexOf('\n\n');
  const headerText = end === -1 ? text : text.slice(0, end);
  const lines = headerText.split('\n');
  let tree = '';
  const parents: string[] = [];
  let author: Identity | null = null;
  let committer: Identity | null = null;
  let signature: string | null = null;
  // The payload is the object minus the signature header and its continuation
  // lines, exactly as git computes it before handing both to ssh-keygen.
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('gpgsig ') || line.startsWith('gpgsig-sha256 ')) {
      const parts = [line.slice(line.indexOf(' ') + 1)];
      while (i + 1 < lines.length && lines[i + 1]!.startsWith(' ')) parts.push(lines[++i]!.slice(1));
      if (line.startsWith('gpgsig ')) signature = `${parts.join('\n')}\n`;
      continue;
    }
    kept.push(line);
    if (line.startsWith('tree ')) tree = line.slice(5);
    else if (line.startsWith('parent ')) parents.push(line.slice(7));
    else if (line.startsWith('author ')) author = parseIdentity(line.slice(7));
    else if (line.startsWith('committer ')) committer = parseIdentity(line.slice(10));
  }
  if (!/^[0-9a-f]{40}$/.test(tree)) throw new Error(`commit ${oid} has no tree`);
  const message = end === -1 ? '' : text.slice(end + 2);
  const payload = Buffer.from(`${kept.join('\n')}${end === -1 ? '' : `\n\n${message}`}`, 'utf8');
  return { oid, tree, parents, author, committer, message, signature, payload };
}

/** Parses a raw tree object. */
export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const nul = data.indexOf(0, space);
    if (space === -1 || nul === -1 || nul + 21 > data.length) throw new Error('damaged tree object');
    entries.push({
      mode: data.toString('latin1', offset, space),
      name: data.toString('utf8', space + 1, nul),
      oid: data.toString('hex', nul + 1, nul + 21),
    });
    offset = nul + 21;
  }
  return entries;
}

/** The raw bytes of a tree object, entries in git's order: by name bytes, a tree's name compared as if it ended in `/`. */
export function serializeTree(entries: readonly TreeEntry[]): Buffer {
  // Sort keys made once per entry, not once per comparison: `articles/` has 10,000 entries.
  const keyed = entries.map((entry) => ({ entry, key: Buffer.from(isTree(entry) ? `${entry.name}/` : entry.name, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Buffer[] = [];
  for (const { entry } of keyed) {
    parts.push(Buffer.from(`${isTree(entry) ? TREE_MODE : entry.mode} ${entry.name}\0`, 'utf8'), Buffer.from(entry.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

/** `+0800` for a machine eight hours ahead of UTC. */
export function timezoneOf(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

// Git refuses these in names and addresses: they would end the field early.
const cleanField = (value: string) => value.replace(/[<>\r\n\0]/g, '').trim();

function identityLine(identity: Identity): string {
  return `${cleanField(identity.name)} <${cleanField(identity.email)}> ${identity.timestamp} ${identity.timezone}`;
}

/** The unsigned commit object: what a signature covers. */
export function commitPayload(fields: { tree: string; parents: readonly string[]; author: Identity; committer: Identity; message: string }): Buffer {
  const message = fields.message.endsWith('\n') ? fields.message : `${fields.message}\n`;
  const header = [
    `tree ${fields.tree}`,
    ...fields.parents.map((p) => `parent ${p}`),
    `author ${identityLine(fields.author)}`,
    `committer ${identityLine(fields.committer)}`,
  ];
  return Buffer.from(`${header.join('\n')}\n\n${message}`, 'utf8');
}

/** The signed commit object: `payload` with the armored signature as its `gpgsig` header, where git puts it. */
export function withSignature(payload: Buffer, armored: string): Buffer {
  const text = payload.toString('utf8');
  const end = text.indexOf('\n\n');
  const header = `gpgsig ${armored.replace(/\n$/, '').split('\n').join('\n ')}`;
  return Buffer.from(`${text.slice(0, end)}\n${header}${text.slice(end)}`, 'utf8');
}

export async function readCommit(source: ObjectSource, oid: string): Promise<ParsedCommit> {
  const object = await source.read(oid);
  if (object.type !== 'commit') throw new Error(`${oid} is a ${object.type}, not a commit`);
  return parseCommit(oid, object.data);
}

/**
 * Trees parsed from bytes a source handed out before: sources that keep what
 * they read (the hook's cat-file, the desktop's pack reader) return the same
 * buffer again, and a unit's `articles/` tree has 10,000 entries to parse.
 */
const parsedTrees = new WeakMap<Buffer, TreeEntry[]>();

/** A tree's entries. Callers must not change the array: it may be shared with other callers. */
export async function readTree(source: ObjectSource, oid: string): Promise<TreeEntry[]> {
  const object = await source.read(oid);
  if (object.type !== 'tree') throw new Error(`${oid} is a ${object.type}, not a tree`);
  let entries = parsedTrees.get(object.data);
  if (!entries) {
    entries = parseTree(object.data);
    parsedTrees.set(object.data, entries);
  }
  return entries;
}

export async function readBlob(source: ObjectSource, oid: string): Promise<Buffer> {
  const object = await source.read(oid);
  if (object.type !== 'blob') throw new Error(`${oid} is a ${object.type}, not a blob`);
  return object.data;
}

/** The entry at `path` (slash-separated) under a tree, or null. */
export async function entryAt(source: ObjectSource, treeOid: string, path: string): Promise<TreeEntry | null> {
  let entries = await readTree(source, treeOid);
  const parts = path.split('/');
  for (const [index, part] of parts.entries()) {
    const entry = entries.find((e) => e.name === part);
    if (!entry) return null;
    if (index === parts.length - 1) return entry;
    if (!isTree(entry)) return null;
    entries = await readTree(source, entry.oid);
  }
  return null;
}

/** A file that differs between two trees: its blob before and after (null: absent on that side). */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
  /** Mode after (or before, for a deletion). */
  mode: string;
}

/**
 * The files that differ between two trees (null: the empty tree). Subtrees
 * with the same id are skipped without being read, so the cost follows what
 * changed, not the size of the workspace.
 */
export async function diffTrees(source: ObjectSource, before: string | null, after: string | null, prefix = ''): Promise<FileChange[]> {
  if (before === after) return [];
  const left = before ? await readTree(source, before) : [];
  const right = after ? await readTree(source, after) : [];
  // Names on the left in their order, then those only on the right (a name twice in a tree: its last
  // entry), with no object made for the 10,000 entries a one-article change leaves as they were.
  const leftByName = new Map<string, TreeEntry>();
  for (const l of left) leftByName.set(l.name, l);
  const rightByName = new Map<string, TreeEntry>();
  for (const r of right) rightByName.set(r.name, r);
  const pairs: Array<[TreeEntry | undefined, TreeEntry | undefined]> = [];
  for (const l of leftByName.values()) {
    const r = rightByName.get(l.name);
    if (r && l.oid === r.oid && l.mode === r.mode) continue;
    pairs.push([l, r]);
  }
  for (const r of rightByName.values()) if (!leftByName.has(r.name)) pairs.push([undefined, r]);
  const changes: FileChange[] = [];
  for (const [l, r] of pairs) {
    const name = (l ?? r)!.name;
    const path = `${prefix}${name}`;
    const lTree = l && isTree(l) ? l.oid : null;
    const rTree = r && isTree(r) ? r.oid : null;
    if (lTree || rTree) changes.push(...(await diffTrees(source, lTree, rTree, `${path}/`)));
    const lFile = l && !isTree(l) ? l : null;
    const rFile = r && !isTree(r) ? r : null;
    if (lFile || rFile) {
      changes.push({ path, before: lFile?.oid ?? null, after: rFile?.oid ?? null, mode: (rFile ?? lFile)!.mode });
    }
  }
  return changes;
}

/** Commits reachable from `tip` and not from `stop` (walked back until `stop`), newest first, each with its tree and parents. */
export async function commitsBetween(
  source: ObjectSource,
  tip: string,
  stop: string | null,
): Promise<Array<{ oid: string; tree: string; parents: string[] }>> {
  const seen = new Set<string>(stop ? [stop] : []);
  const out: Array<{ oid: string; tree: string; parents: string[] }> = [];
  const stack = [tip];
  while (stack.length) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    const commit = await readCommit(source, oid);
    out.push({ oid, tree: commit.tree, parents: commit.parents });
    stack.push(...commit.parents);
  }
  return out;
}
