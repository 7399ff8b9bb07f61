import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { HttpClient } from 'isomorphic-git';
import { commitsBetween, isTree, type ObjectSource, type ObjectType, readCommit, readTree } from './git-objects';

/*
 * Pushing over git's smart HTTP protocol, sending only what the new commits
 * changed. isomorphic-git's own push lists every object of the commit's tree
 * and of the remote's to subtract one from the other: at 10,000 articles that
 * is two walks of 30,000 objects, seconds for a one-article change. Here the
 * new commits' trees are compared with their parents' and only differing
 * subtrees are read, so the cost follows the change. The pack carries whole
 * objects (no deltas): what changed is one article and the trees above it.
 */

const ZERO = '0'.repeat(40);
const TYPE_CODE: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

export interface PushRequest {
  http: HttpClient;
  /** The repository URL (…/office.git). */
  url: string;
  headers: Record<string, string>;
  source: ObjectSource;
  /** The commit the branch should point at. */
  local: string;
  /** What the server's branch is now (as last fetched); null when it has none. */
  remote: string | null;
  ref: string;
}

export interface PushOutcome {
  /** The server moved the branch. */
  ok: boolean;
  /** Why not, as git reports it ("pre-receive hook declined", "unpack …"). */
  error: string | null;
  /** What the server's hooks printed, line by line. */
  lines: string[];
  /** Commits sent, newest first. */
  commits: string[];
}

function pktLine(text: string | Buffer): Buffer {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0'), 'latin1'), body]);
}

/** Reads pkt-lines; `null` stands for a flush packet. */
function* pktLines(data: Buffer): Generator<Buffer | null> {
  let offset = 0;
  while (offset + 4 <= data.length) {
    const length = Number.parseInt(data.toString('latin1', offset, offset + 4), 16);
    if (Number.isNaN(length)) throw Object.assign(new Error('the server answered something that is not git'), { code: 'SmartHttpError' });
    if (length === 0) {
      offset += 4;
      yield null;
      continue;
    }
    if (length < 4 || offset + length > data.length) throw Object.assign(new Error('the server answer was cut off'), { code: 'ECONNRESET' });
    yield data.subarray(offset + 4, offset + length);
    offset += length;
  }
}

/** The objects of `tree` that `base` (a tree the server already has, or null) does not share by id. */
async function newObjects(source: ObjectSource, tree: string, base: string | null, into: Set<string>): Promise<void> {
  if (tree === base || into.has(tree)) return;
  into.add(tree);
  const old = new Map((base ? await readTree(source, base) : []).map((e) => [e.name, e]));
  for (const entry of await readTree(source, tree)) {
    const before = old.get(entry.name);
    if (before?.oid === entry.oid) continue;
    if (isTree(entry)) await newObjects(source, entry.oid, before && isTree(before) ? before.oid : null, into);
    else if (entry.mode !== '160000') into.add(entry.oid);
  }
}

/** A version-2 packfile of whole objects. */
async function buildPack(source: ObjectSource, oids: readonly string[]): Promise<Buffer> {
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(oids.length, 8);
  const parts: Buffer[] = [header];
  for (const oid of oids) {
    const { type, data } = await source.read(oid);
    // Object header: type in bits 4–6 of the first byte, the size in 4 bits then 7 per byte.
    let size = data.length;
    const bytes = [(TYPE_CODE[type] << 4) | (size & 0x0f)];
    size = Math.floor(size / 16);
    while (size > 0) {
      bytes[bytes.length - 1]! |= 0x80;
      bytes.push(size & 0x7f);
      size = Math.floor(size / 128);
    }
    parts.push(Buffer.from(bytes), deflateSync(data));
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}

async function collect(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (body) for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Moves the server's `ref` from `remote` to `local` (a descendant), sending
 * the objects the commits in between brought. The server's refusal is an
 * answer (`ok: false`, its reasons in `lines`); an unreachable server, a cut
 * connection or a login refused are thrown, with the codes the sync client
 * classifies (`ECONNREFUSED`…, `HttpError` with `data.statusCode`).
 */
export async function pushBranch(request: PushRequest): Promise<PushOutcome> {
  const { source } = request;
  const commits = await commitsBetween(source, request.local, request.remote);
  const objects = new Set<string>();
  const treeOf = new Map<string, string>();
  for (const c of commits) treeOf.set(c.oid, c.tree);
  for (const commit of commits) {
    objects.add(commit.oid);
    const parent = commit.parents[0] ?? null;
    const parentTree = parent ? (treeOf.get(parent) ?? (await readCommit(source, parent)).tree) : null;
    await newObjects(source, commit.tree, parentTree, objects);
  }
  const command = `${request.remote ?? ZERO} ${request.local} ${request.ref}\0 report-status side-band-64k agent=gazette\n`;
  const body = Buffer.concat([pktLine(command), Buffer.from('0000', 'latin1'), await buildPack(source, [...objects])]);
  const res = await request.http.request({
    url: `${request.url.replace(/\/$/, '')}/git-receive-pack`,
    method: 'POST',
    headers: {
      ...request.headers,
      'content-type': 'application/x-git-receive-pack-request',
      accept: 'application/x-git-receive-pack-result',
    },
    body: (async function* () {
      yield body;
    })(),
  });
  const answer = await collect(res.body);
  if (res.statusCode !== 200) {
    throw Object.assign(new Error(`HTTP Error: ${res.statusCode} ${res.statusMessage}`), {
      code: 'HttpError',
      data: { statusCode: res.statusCode, statusMessage: res.statusMessage },
    });
  }
  // Side band: 1 carries the report, 2 what the hooks printed, 3 a fatal error.
  const report: Buffer[] = [];
  let progress = '';
  for (const packet of pktLines(answer)) {
    if (!packet) continue;
    const band = packet[0];
    if (band === 1) report.push(packet.subarray(1));
    else if (band === 2 || band === 3) progress += packet.subarray(1).toString('utf8');
  }
  const status = [...pktLines(Buffer.concat(report))].flatMap((p) => (p ? [p.toString('utf8').replace(/\n$/, '')] : []));
  const lines = progress.split(/\r?\n|\r/).map((l) => l.trim()).filter(Boolean);
  if (status.length === 0) throw Object.assign(new Error('the server ended the push without a report'), { code: 'EmptyServerResponseError' });
  const unpack = status.find((s) => s.startsWith('unpack '));
  const refLine = status.find((s) => s.startsWith(`ok ${request.ref}`) || s.startsWith(`ng ${request.ref}`));
  const ok = unpack === 'unpack ok' && refLine === `ok ${request.ref}`;
  const error = ok ? null : refLine?.startsWith('ng ') ? refLine.slice(4 + request.ref.length) : (unpack ?? 'no report');
  return { ok, error, lines, commits: commits.map((c) => c.oid) };
}
