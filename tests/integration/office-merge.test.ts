import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRecordCrypto as crypto } from '../../node/services/record/crypto';
import { joinOffice, OfficeSyncClient, type SyncResult } from '../../node/services/sync/client';
import { nodeHttpClient } from '../../node/services/sync/http';
import { readConflict } from '../../node/services/sync/merge';
import { refusal, refusalLine } from '../../node/services/sync/refusals';
import { ed25519Signer } from '../../node/services/sync/sshsig';
import { addRepository, missingPackages, repositoryPath, repositoryUrl, setUser, startServer, stopServer } from '../../scripts/office-server/kit';
import { type Article, emptyMeta, newArticle, type Revision } from '../../shared/domain/article';
import { type DocNode, paragraph } from '../../shared/domain/doc';
import { entrySigningText, nextEntry, parseRecordLines, type RecordEntry, type SignedEvent, signedEntry } from '../../shared/record/entry';
import { verifyArticleRecord } from '../../shared/record/verify';
import { resolveConflict } from '../../shared/sync/article-merge';
import { articleContentHash } from '../../shared/workflow/canonical';
import { approvalStatement, type Person } from '../../shared/workflow/review-chain';
import { serverOffice, writeOffice } from '../support/server-office';
import { type Signer, signText } from '../support/signer';
import { freePort } from '../support/free-port';

/*
 * Two desktops that both moved on while apart, against the real office
 * server (Apache + git-http-backend + the pre-receive hook): the second to
 * sync merges — by block and field, records re-chained — and pushes a signed
 * merge commit the hook accepts; the server's branch only moves forward and
 * its records only grow.
 */

const missing = missingPackages();
if (missing.length) console.warn(`[skip] office merge tests: missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);

const PASSWORD = 'office-pass-2026';
const LOGINS = ['admin', 'writer', 'r1', 'r2'];
const person = (id: string, name: string, roles: Person['roles']): Person => ({ id, name, unit: '党政办', roles, active: true });

const makeOffice = () =>
  serverOffice({
    admin: person('admin', '管理员', ['admin']),
    writer: person('writer', '张撰稿', ['writer']),
    r1: person('r1', '李初审', ['reviewer']),
    r2: person('r2', '王复审', ['reviewer']),
  });
const ID = 'article-merge-01';
const articlePath = `articles/${ID}/article.json`;
const recordPath = `articles/${ID}/record.jsonl`;
const p = (text: string) => paragraph(text);
const texts = (article: Article) => article.doc.content.map((b: DocNode) => b.content?.[0]?.text ?? '');

function draft(blocks: DocNode[], title = '区政府召开常务会议'): Article {
  return newArticle(ID, '2026-03-01T08:00:00.000Z', { ...emptyMeta('meeting'), title }, { type: 'doc', content: blocks });
}

const readArticle = (dir: string): Article => JSON.parse(readFileSync(join(dir, articlePath), 'utf8')) as Article;
function writeArticle(dir: string, article: Article): string[] {
  mkdirSync(join(dir, 'articles', ID), { recursive: true });
  writeFileSync(join(dir, articlePath), `${JSON.stringify(article, null, 2)}\n`);
  return [articlePath];
}
const edit = (dir: string, change: (blocks: DocNode[]) => DocNode[]): string[] => {
  const article = readArticle(dir);
  return writeArticle(dir, { ...article, doc: { ...article.doc, content: change([...article.doc.content]) } });
};

const readRecord = (dir: string) => (existsSync(join(dir, recordPath)) ? (parseRecordLines(readFileSync(join(dir, recordPath), 'utf8')) as RecordEntry[]) : []);
function appendEntry(dir: string, event: SignedEvent, by: Signer): string[] {
  const entries = readRecord(dir);
  const unsigned = nextEntry(ID, entries.at(-1) ?? null, 1, event, crypto);
  const entry = signedEntry(unsigned, { keyId: by.keyId, value: signText(by, entrySigningText(unsigned)) });
  writeFileSync(join(dir, recordPath), `${[...entries, entry].map((e) => JSON.stringify(e)).join('\n')}\n`);
  return [recordPath];
}
const hashOf = (article: Article) => articleContentHash(article.meta, article.doc, []);

function git(cwd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('git', ['-c', 'safe.directory=*', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * An HTTP client that answers this desktop's first push in the server's place, with git's report (`ng` and its
 * reason) and what the hook printed, after `before` ran; everything else goes to the real server.
 */
function answerFirstPush(answer: { ng: string; hookSaid?: string; before?: () => Promise<void> }): HttpClient & { answered: () => boolean } {
  const base = nodeHttpClient();
  let answered = false;
  const pkt = (bytes: Buffer) => Buffer.concat([Buffer.from((bytes.length + 4).toString(16).padStart(4, '0'), 'latin1'), bytes]);
  const flush = Buffer.from('0000', 'latin1');
  return {
    answered: () => answered,
    request: async (request) => {
      if (answered || request.method !== 'POST' || !request.url.endsWith('/git-receive-pack')) return base.request(request);
      answered = true;
      await answer.before?.();
      const report = Buffer.concat([pkt(Buffer.from('unpack ok\n')), pkt(Buffer.from(`ng refs/heads/main ${answer.ng}\n`)), flush]);
      const progress = answer.hookSaid ? [pkt(Buffer.concat([Buffer.from([2]), Buffer.from(`${answer.hookSaid}\n`, 'utf8')]))] : [];
      const body = Buffer.concat([...progress, pkt(Buffer.concat([Buffer.from([1]), report])), flush]);
      return {
        url: request.url,
        method: request.method,
        statusCode: 200,
        statusMessage: 'OK',
        headers: { 'content-type': 'application/x-git-receive-pack-result' },
        body: (async function* () {
          yield new Uint8Array(body);
        })(),
      };
    },
  };
}

describe.skipIf(missing.length > 0)('two desktops that both moved on merge through the office server', () => {
  let root: string;
  let serverDir: string;
  let port: number;
  let repoCount = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gazette-office-merge-'));
    chmodSync(root, 0o755);
    serverDir = join(root, 'server');
    port = await freePort();
    await startServer({ dir: serverDir, port });
    for (const login of LOGINS) setUser(serverDir, login, PASSWORD);
  }, 30_000);

  afterAll(async () => {
    if (serverDir) await stopServer(serverDir);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const signer = (s: Signer) => ({ personId: s.person.id, name: s.person.name, publicKey: s.publicKey, sign: ed25519Signer(s.privateKey) });
  const client = (dir: string, who: Signer, http?: HttpClient) =>
    new OfficeSyncClient({ dir, credentials: () => ({ username: who.person.id, password: PASSWORD }), signer: signer(who), retry: { attempts: 1, baseDelayMs: 10 }, http });
  const serverGit = (name: string, args: string[]) => git(root, ['--git-dir', repositoryPath(serverDir, name), ...args]);
  const serverHead = (name: string) => serverGit(name, ['rev-parse', 'refs/heads/main']).stdout.trim();
  const serverFile = (name: string, rev: string, path: string) => serverGit(name, ['show', `${rev}:${path}`]).stdout;

  /** An office with a first article (three paragraphs, optionally submitted) on the server, and desktops joined after it. */
  async function officeWithArticle(options: { submitted?: boolean } = {}) {
    const name = `merge-${++repoCount}`;
    addRepository(serverDir, name);
    const url = repositoryUrl({ port }, name);
    const office = makeOffice();
    const adminDir = join(root, `${name}-admin`);
    await joinOffice({ url, username: 'admin', password: PASSWORD, dir: adminDir });
    const admin = client(adminDir, office.admin);
    await admin.commitChanged(writeOffice(adminDir, office), '单位策略第 1 版');
    expect((await admin.sync()).status).toBe('synced');

    const writerDir = join(root, `${name}-writer`);
    await joinOffice({ url, username: 'writer', password: PASSWORD, dir: writerDir });
    const writer = client(writerDir, office.writer);
    const article = draft([p('第一段'), p('第二段'), p('第三段')]);
    const paths = writeArticle(writerDir, article);
    if (options.submitted) {
      paths.push(
        ...appendEntry(
          writerDir,
          { type: 'submit', at: new Date(Date.now() - 3600_000).toISOString(), actorId: 'writer', contentHash: await hashOf(article), stageId: 'first', note: '' },
          office.writer,
        ),
      );
    }
    await writer.commitChanged(paths, '新稿');
    expect((await writer.sync()).status).toBe('synced');
    const desk = async (who: Signer, label: string, http?: HttpClient) => {
      const dir = join(root, `${name}-${label}`);
      expect((await joinOffice({ url, username: who.person.id, password: PASSWORD, dir })).status).toBe('joined');
      return { dir, sync: client(dir, who, http) };
    };
    return { name, office, writer: { dir: writerDir, sync: writer }, desk };
  }

  /** The server's branch moved forward from `before` and every record there still starts with what it had. */
  function movedForwardKeepingRecords(name: string, before: string, paths: readonly string[]) {
    const after = serverHead(name);
    expect(serverGit(name, ['merge-base', '--is-ancestor', before, after]).status).toBe(0);
    for (const path of paths) expect(serverFile(name, after, path).startsWith(serverFile(name, before, path))).toBe(true);
  }

  it('different blocks edited on two desktops: both texts on both desktops after a round each', async () => {
    const o = await officeWithArticle();
    const a = await o.desk(o.office.writer, 'a');
    const b = await o.desk(o.office.r1, 'b');
    await a.sync.commitChanged(edit(a.dir, (blocks) => [p('第一段（A 改）'), ...blocks.slice(1)]));
    await b.sync.commitChanged(edit(b.dir, (blocks) => [...blocks.slice(0, 2), p('第三段（B 改）'), p('第四段（B 加）')]));
    expect((await a.sync.sync()).status).toBe('synced');
    const before = serverHead(o.name);

    const merged = await b.sync.sync();
    expect(merged).toMatchObject({ status: 'merged', merged: [ID], conflicts: [], invalidated: [] });
    expect(texts(readArticle(b.dir))).toEqual(['第一段（A 改）', '第二段', '第三段（B 改）', '第四段（B 加）']);
    expect(existsSync(join(b.dir, 'articles', ID, 'sync-conflict.json'))).toBe(false);
    // A signed merge of both, on the server, that stock git verifies.
    const head = serverHead(o.name);
    expect(merged.status === 'merged' && merged.head).toBe(head);
    expect(serverGit(o.name, ['rev-list', '--parents', '-n', '1', head]).stdout.trim().split(' ')).toHaveLength(3);
    const verified = git(b.dir, ['verify-commit', 'HEAD']);
    expect(verified.stderr).toContain('Good "git" signature for r1@gazette.invalid');
    movedForwardKeepingRecords(o.name, before, []);

    expect(await a.sync.sync()).toMatchObject({ status: 'synced', received: [articlePath] });
    expect(readFileSync(join(a.dir, articlePath), 'utf8')).toBe(readFileSync(join(b.dir, articlePath), 'utf8'));
  }, 60_000);

  it('the same block on both: a conflict on the second desktop with both texts, its own text kept, the other saved as a version', async () => {
    const o = await officeWithArticle();
    const a = await o.desk(o.office.writer, 'a');
    const b = await o.desk(o.office.writer, 'b');
    await a.sync.commitChanged(edit(a.dir, (blocks) => [blocks[0]!, p('第二段：A 的说法'), blocks[2]!]));
    await b.sync.commitChanged(edit(b.dir, (blocks) => [blocks[0]!, p('第二段：B 的说法'), blocks[2]!]));
    expect((await a.sync.sync()).status).toBe('synced');

    const result = await b.sync.sync();
    expect(result).toMatchObject({ status: 'merged', merged: [], conflicts: [ID] });
    if (result.status === 'merged') expect(result.notices[0]?.message).toContain('两台电脑改了同一处');
    expect(texts(readArticle(b.dir))).toEqual(['第一段', '第二段：B 的说法', '第三段']);
    const conflict = await readConflict(b.dir, ID);
    expect(conflict?.hunks).toHaveLength(1);
    expect(conflict?.hunks[0]).toMatchObject({ kind: 'both_changed', at: 1 });
    expect(conflict?.hunks[0]?.mine[0]?.content?.[0]?.text).toBe('第二段：B 的说法');
    expect(conflict?.hunks[0]?.theirs[0]?.content?.[0]?.text).toBe('第二段：A 的说法');
    expect(conflict?.theirsBy).toEqual({ personId: 'writer', name: '张撰稿' });
    // The other version whole, as a revision the versions list shows.
    const revision = JSON.parse(readFileSync(join(b.dir, 'articles', ID, 'revisions', `${conflict!.revisionId}.json`), 'utf8')) as Revision;
    expect(revision).toMatchObject({ name: '同步冲突：对方版本', reason: 'sync_conflict' });
    expect(revision.doc.content[1]?.content?.[0]?.text).toBe('第二段：A 的说法');
    // The conflict stays on this desktop: it never reaches the server.
    expect(serverGit(o.name, ['ls-tree', '-r', '--name-only', 'main']).stdout).not.toContain('sync-conflict');

    // The office keeps A's text until someone decides: B's undecided text never reaches A as if agreed.
    expect(texts(JSON.parse(serverFile(o.name, 'main', articlePath)) as Article)).toEqual(['第一段', '第二段：A 的说法', '第三段']);
    expect(await a.sync.sync()).toMatchObject({ status: 'synced' });
    expect(texts(readArticle(a.dir))).toEqual(['第一段', '第二段：A 的说法', '第三段']);
    // While it waits, B never commits the article, and a round sends nothing of it.
    expect(await b.sync.commitChanged([articlePath])).toMatchObject({ commit: null, held: [articlePath] });
    const waiting = serverHead(o.name);
    expect((await b.sync.sync()).status).toBe('up_to_date');
    expect(serverHead(o.name)).toBe(waiting);
    expect(texts(readArticle(b.dir))).toEqual(['第一段', '第二段：B 的说法', '第三段']);

    // Deciding it is a normal edit: the service writes the decided article and removes the conflict; the next round sends it.
    const decided = resolveConflict(readArticle(b.dir), conflict!, { hunks: [{ id: 'h1', take: 'both' }], fields: [] });
    expect(texts(decided)).toEqual(['第一段', '第二段：B 的说法', '第二段：A 的说法', '第三段']);
    writeArticle(b.dir, decided);
    rmSync(join(b.dir, 'articles', ID, 'sync-conflict.json'));
    expect((await b.sync.commitChanged([articlePath])).commit).not.toBeNull();
    expect((await b.sync.sync()).status).toBe('synced');
    expect(await a.sync.sync()).toMatchObject({ status: 'synced', received: [articlePath] });
    expect(texts(readArticle(a.dir))).toEqual(['第一段', '第二段：B 的说法', '第二段：A 的说法', '第三段']);
  }, 90_000);

  it('a conflict still undecided when the other desktop changes the article again: its text here kept, the conflict made again against the newer version', async () => {
    const o = await officeWithArticle();
    const a = await o.desk(o.office.writer, 'a');
    const b = await o.desk(o.office.writer, 'b');
    await a.sync.commitChanged(edit(a.dir, (blocks) => [blocks[0]!, p('第二段：A 的说法'), blocks[2]!]));
    await b.sync.commitChanged(edit(b.dir, (blocks) => [blocks[0]!, p('第二段：B 的说法'), blocks[2]!]));
    expect((await a.sync.sync()).status).toBe('synced');
    expect(await b.sync.sync()).toMatchObject({ status: 'merged', conflicts: [ID] });
    expect((await a.sync.sync()).status).toBe('synced');

    // A changes another paragraph; B receives it by fast-forward.
    await a.sync.commitChanged(edit(a.dir, (blocks) => [blocks[0]!, blocks[1]!, p('第三段（A 又改）')]));
    expect((await a.sync.sync()).status).toBe('synced');
    const received = await b.sync.sync();
    expect(received).toMatchObject({ status: 'synced', conflicts: [ID] });
    if (received.status === 'synced') expect(received.notices?.[0]?.message).toContain('冲突待处理期间');
    expect(await b.sync.head()).toBe(serverHead(o.name));
    // A's newer paragraph came in; B's undecided one stayed; the conflict is against A's newest text.
    expect(texts(readArticle(b.dir))).toEqual(['第一段', '第二段：B 的说法', '第三段（A 又改）']);
    const conflict = await readConflict(b.dir, ID);
    expect(conflict?.hunks.map((h) => [texts({ doc: { content: h.mine } } as Article), texts({ doc: { content: h.theirs } } as Article)])).toEqual([
      [['第二段：B 的说法'], ['第二段：A 的说法']],
    ]);
    expect(texts({ doc: { content: conflict!.hunks[0]!.base } } as Article)).toEqual(['第二段']);
    // Taking A's version everywhere gives exactly what the office has.
    const theirs = resolveConflict(readArticle(b.dir), conflict!, { hunks: [{ id: 'h1', take: 'theirs' }], fields: [] });
    expect(texts(theirs)).toEqual(texts(JSON.parse(serverFile(o.name, 'main', articlePath)) as Article));
  }, 90_000);

  it('a block deleted on one desktop and edited on the other is a conflict that keeps the edit', async () => {
    const o = await officeWithArticle();
    const a = await o.desk(o.office.writer, 'a');
    const b = await o.desk(o.office.writer, 'b');
    await a.sync.commitChanged(edit(a.dir, (blocks) => [blocks[0]!, blocks[2]!]));
    await b.sync.commitChanged(edit(b.dir, (blocks) => [blocks[0]!, p('第二段（B 补充了数字）'), blocks[2]!]));
    expect((await a.sync.sync()).status).toBe('synced');
    expect(await b.sync.sync()).toMatchObject({ status: 'merged', conflicts: [ID] });
    expect(texts(readArticle(b.dir))).toEqual(['第一段', '第二段（B 补充了数字）', '第三段']);
    expect((await readConflict(b.dir, ID))?.hunks).toMatchObject([{ kind: 'deleted_there', theirs: [] }]);
  }, 60_000);

  it('an approval of text another reviewer corrected meanwhile no longer counts, and the person is told', async () => {
    const o = await officeWithArticle({ submitted: true });
    const c = await o.desk(o.office.r1, 'c');
    const d = await o.desk(o.office.r2, 'd');
    const submitted = readArticle(c.dir);
    const hash = await hashOf(submitted);
    const later = (minutes: number) => new Date(Date.now() - 3600_000 + minutes * 60_000).toISOString();
    // C (李初审) approves the text as submitted.
    const approvedAt = later(2);
    const statement = approvalStatement(ID, { personId: 'r1', stageId: 'first', at: approvedAt, opinion: '同意', contentHash: hash });
    await c.sync.commitChanged(
      appendEntry(
        c.dir,
        {
          type: 'approve',
          at: approvedAt,
          actorId: 'r1',
          contentHash: hash,
          stageId: 'first',
          opinion: '同意',
          final: false,
          signature: { keyId: o.office.r1.keyId, value: signText(o.office.r1, statement) },
        },
        o.office.r1,
      ),
    );
    // D (王复审) corrects the text at the first stage meanwhile and syncs first.
    const corrected = { ...submitted, doc: { ...submitted.doc, content: [p('第一段'), p('第二段（更正）'), p('第三段')] } };
    writeArticle(d.dir, corrected);
    appendEntry(
      d.dir,
      { type: 'edit', at: later(3), actorId: 'r2', contentHash: await hashOf(corrected), previousHash: hash, stageId: 'first', note: '更正数字' },
      o.office.r2,
    );
    await d.sync.commitChanged([articlePath, recordPath]);
    expect((await d.sync.sync()).status).toBe('synced');
    const before = serverHead(o.name);

    const result = await c.sync.sync();
    expect(result).toMatchObject({ status: 'merged', merged: [ID], conflicts: [] });
    if (result.status !== 'merged') return;
    expect(result.invalidated).toHaveLength(1);
    expect(result.invalidated[0]).toMatchObject({ articleId: ID });
    expect(result.invalidated[0]!.message).toContain('审核通过');
    // C now has D's text and a record without the approval: it verifies and approves nothing.
    expect(texts(readArticle(c.dir))).toEqual(['第一段', '第二段（更正）', '第三段']);
    const verdict = verifyArticleRecord({ articleId: ID, entries: readRecord(c.dir), policy: o.office.verified(), currentHash: await hashOf(readArticle(c.dir)), crypto });
    expect(verdict.problems).toEqual([]);
    expect(verdict.state.approvals).toEqual([]);
    expect(readArticle(c.dir).status).toBe('in_review');
    movedForwardKeepingRecords(o.name, before, [recordPath]);
  }, 60_000);

  it('text corrected in review on both desktops: the merged text is signed as a correction by a reviewer who may correct it', async () => {
    const o = await officeWithArticle({ submitted: true });
    const c = await o.desk(o.office.r1, 'c');
    const d = await o.desk(o.office.r2, 'd');
    const submittedText = readArticle(c.dir);
    const hash = await hashOf(submittedText);
    const at = (m: number) => new Date(Date.now() - 3000_000 + m * 60_000).toISOString();
    const correct = async (dir: string, who: Signer, m: number, change: (blocks: DocNode[]) => DocNode[]) => {
      const article = readArticle(dir);
      const next = { ...article, doc: { ...article.doc, content: change([...article.doc.content]) } };
      writeArticle(dir, next);
      appendEntry(dir, { type: 'edit', at: at(m), actorId: who.person.id, contentHash: await hashOf(next), previousHash: hash, stageId: 'first', note: '更正' }, who);
      return [articlePath, recordPath];
    };
    await c.sync.commitChanged(await correct(c.dir, o.office.r1, 1, (blocks) => [p('第一段（李更正）'), blocks[1]!, blocks[2]!]));
    await d.sync.commitChanged(await correct(d.dir, o.office.r2, 2, (blocks) => [blocks[0]!, blocks[1]!, p('第三段（王更正）')]));
    expect((await d.sync.sync()).status).toBe('synced');
    const before = serverHead(o.name);

    const result = await c.sync.sync();
    expect(result).toMatchObject({ status: 'merged', merged: [ID], conflicts: [], invalidated: [] });
    if (result.status === 'merged') expect(result.notices.map((n) => n.message).join('\n')).toContain('签署为审核中修改');
    expect(texts(readArticle(c.dir))).toEqual(['第一段（李更正）', '第二段', '第三段（王更正）']);
    // The record names the merged text: no 记录异常, on this desktop or on the server.
    const check = async (article: Article, entries: RecordEntry[]) =>
      verifyArticleRecord({ articleId: ID, entries, policy: o.office.verified(), currentHash: await hashOf(article), crypto });
    const here = await check(readArticle(c.dir), readRecord(c.dir));
    expect(here.problems).toEqual([]);
    expect(here.contentMatches).toBe(true);
    expect(readRecord(c.dir).map((e) => `${e.event.type}:${e.event.actorId}`)).toEqual(['submit:writer', 'edit:r2', 'edit:r1']);
    const onServer = await check(JSON.parse(serverFile(o.name, 'main', articlePath)) as Article, parseRecordLines(serverFile(o.name, 'main', recordPath)) as RecordEntry[]);
    expect(onServer.problems).toEqual([]);
    movedForwardKeepingRecords(o.name, before, [recordPath]);
  }, 60_000);

  it('text changed on a desktop whose person may not sign it at the stage the record reached: a conflict, the office keeps the submitted text', async () => {
    const o = await officeWithArticle();
    const a = await o.desk(o.office.writer, 'a');
    const b = await o.desk(o.office.writer, 'b');
    // Submitted on A; the same draft edited on B, offline.
    const article = readArticle(a.dir);
    appendEntry(
      a.dir,
      { type: 'submit', at: new Date(Date.now() - 600_000).toISOString(), actorId: 'writer', contentHash: await hashOf(article), stageId: 'first', note: '' },
      o.office.writer,
    );
    await a.sync.commitChanged([recordPath]);
    await b.sync.commitChanged(edit(b.dir, (blocks) => [blocks[0]!, p('第二段（B 离线时改）'), blocks[2]!]));
    expect((await a.sync.sync()).status).toBe('synced');

    const result = await b.sync.sync();
    expect(result).toMatchObject({ status: 'merged', conflicts: [ID] });
    if (result.status === 'merged') expect(result.notices.map((n) => n.message).join('\n')).toContain('无权');
    // The office: the submitted text, which its record names.
    const office = JSON.parse(serverFile(o.name, 'main', articlePath)) as Article;
    expect(texts(office)).toEqual(['第一段', '第二段', '第三段']);
    const verdict = verifyArticleRecord({
      articleId: ID,
      entries: parseRecordLines(serverFile(o.name, 'main', recordPath)),
      policy: o.office.verified(),
      currentHash: await hashOf(office),
      crypto,
    });
    expect(verdict.problems).toEqual([]);
    expect(office.status).toBe('in_review');
    // B: its edit kept, as a part to decide.
    expect(texts(readArticle(b.dir))).toEqual(['第一段', '第二段（B 离线时改）', '第三段']);
    expect((await readConflict(b.dir, ID))?.hunks.map((h) => texts({ doc: { content: h.theirs } } as Article))).toEqual([['第二段']]);
  }, 60_000);

  it('a push the server refuses does not block the repository: set aside, the branch back at the server’s tip, the rest still syncs', async () => {
    const o = await officeWithArticle({ submitted: true });
    const a = o.writer;
    const serverRecord = serverFile(o.name, 'main', recordPath);
    // A record rewritten by hand (refused by the hook), and another article, committed before the round.
    const forged = readRecord(a.dir);
    forged[0] = { ...forged[0]!, event: { ...forged[0]!.event, note: '改过的' } as SignedEvent };
    writeFileSync(join(a.dir, recordPath), forged.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const other = 'article-merge-02';
    mkdirSync(join(a.dir, 'articles', other), { recursive: true });
    writeFileSync(join(a.dir, 'articles', other, 'article.json'), `${JSON.stringify({ ...draft([p('另一篇')]), id: other }, null, 2)}\n`);
    await a.sync.commitChanged([recordPath, `articles/${other}/article.json`]);
    const tip = serverHead(o.name);
    const refusedHead = await a.sync.head();

    const refused = await a.sync.sync();
    expect(refused).toMatchObject({ status: 'refused', marked: [recordPath], uncommitted: [recordPath, `articles/${other}/article.json`] });
    expect(await a.sync.head()).toBe(tip);
    // The refused commits stay for inspection; the files are as they were.
    const kept = git(join(a.dir), ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/gazette/refused/']).stdout.trim().split(' ');
    expect(kept[0]).toBe(refusedHead);
    expect(readFileSync(join(a.dir, recordPath), 'utf8')).toContain('改过的');
    expect(existsSync(join(a.dir, 'articles', other, 'article.json'))).toBe(true);

    // The next round: the other article goes; the refused record is not sent again while unchanged.
    const next = await a.sync.commitChanged([recordPath, `articles/${other}/article.json`]);
    expect(next).toMatchObject({ committed: [`articles/${other}/article.json`], held: [recordPath] });
    expect((await a.sync.sync()).status).toBe('synced');
    expect(serverGit(o.name, ['ls-tree', '-r', '--name-only', 'main']).stdout).toContain(`articles/${other}/article.json`);
    expect(serverFile(o.name, 'main', recordPath)).toBe(serverRecord);
    expect(Object.keys(await a.sync.refusedChanges())).toEqual([recordPath]);

    // Changed again (put right), it is sent like any change and no longer marked.
    writeFileSync(join(a.dir, recordPath), serverRecord);
    expect((await a.sync.commitChanged([recordPath])).held).toEqual([]);
    expect(await a.sync.refusedChanges()).toEqual({});
  }, 90_000);

  it('two reviewers’ acts on one record: both kept, in chain order, the server’s first and never rewritten', async () => {
    const o = await officeWithArticle({ submitted: true });
    const c = await o.desk(o.office.r1, 'c');
    const d = await o.desk(o.office.r2, 'd');
    const hash = await hashOf(readArticle(c.dir));
    const at = (m: number) => new Date(Date.now() - 1800_000 + m * 60_000).toISOString();
    const comment = (who: Signer, m: number, body: string) =>
      ({ type: 'comment', at: at(m), actorId: who.person.id, contentHash: hash, commentId: `c-${who.person.id}`, stageId: 'first', body, anchor: null }) as SignedEvent;
    await c.sync.commitChanged(appendEntry(c.dir, comment(o.office.r1, 1, '李：日期请核实'), o.office.r1));
    await d.sync.commitChanged(appendEntry(d.dir, comment(o.office.r2, 2, '王：人名请核实'), o.office.r2));
    expect((await d.sync.sync()).status).toBe('synced');
    const before = serverHead(o.name);
    expect((await c.sync.sync()).status).toBe('merged');
    movedForwardKeepingRecords(o.name, before, [recordPath]);
    const bodies = readRecord(c.dir).map((e) => ('body' in e.event ? e.event.body : e.event.type));
    expect(bodies).toEqual(['submit', '王：人名请核实', '李：日期请核实']);
    expect((await d.sync.sync()).status).toBe('synced');
    expect(readFileSync(join(d.dir, recordPath), 'utf8')).toBe(readFileSync(join(c.dir, recordPath), 'utf8'));
  }, 60_000);

  it('a merge cut short before the branch moved is finished by the next round, without counting its own files as edits', async () => {
    const o = await officeWithArticle();
    let offline = false;
    const base = nodeHttpClient();
    const flaky: HttpClient = {
      request: (request) =>
        offline && request.url.includes('receive-pack')
          ? Promise.reject(Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }))
          : base.request(request),
    };
    const a = await o.desk(o.office.writer, 'a');
    const b = await o.desk(o.office.writer, 'b', flaky);
    await a.sync.commitChanged(edit(a.dir, (blocks) => [p('第一段（A 改）'), ...blocks.slice(1)]));
    await b.sync.commitChanged(edit(b.dir, (blocks) => [...blocks.slice(0, 2), p('第三段（B 改）')]));
    expect((await a.sync.sync()).status).toBe('synced');
    const localBefore = await b.sync.head();
    const remote = serverHead(o.name);

    // The merge is made and written, but the push does not get through.
    offline = true;
    expect((await b.sync.sync()).status).toBe('offline');
    const mergedText = readFileSync(join(b.dir, articlePath), 'utf8');
    expect(mergedText).toContain('第一段（A 改）');
    // As if the desktop had stopped just before moving its branch: merged files, branch where it was.
    writeFileSync(join(b.dir, '.git', 'refs', 'heads', 'main'), `${localBefore}\n`);

    offline = false;
    const finished = await b.sync.sync();
    expect(finished).toMatchObject({ status: 'merged', merged: [ID] });
    expect(readFileSync(join(b.dir, articlePath), 'utf8')).toBe(mergedText);
    // The merge's parents are the two sides as they were: no commit of "edits" that were the merge's own files.
    const parents = serverGit(o.name, ['rev-list', '--parents', '-n', '1', serverHead(o.name)]).stdout.trim().split(' ').slice(1);
    expect(parents).toEqual([localBefore, remote]);
    expect(readdirSync(join(b.dir, 'articles', ID)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 60_000);

  it('another desktop’s push wins the race between this one’s check and its update: fetched again and merged, nothing set aside', async () => {
    const o = await officeWithArticle();
    const a = await o.desk(o.office.writer, 'a');
    // The server's answer when two pushes passed the hook together and the other moved the branch first:
    // B's push did not land, and git says it could not update the ref (not a refusal by the hook).
    const racing = answerFirstPush({
      ng: 'failed to update ref',
      before: async () => {
        expect((await a.sync.sync()).status).toBe('synced');
      },
    });
    const b = await o.desk(o.office.writer, 'b', racing);
    await a.sync.commitChanged(edit(a.dir, (blocks) => [p('第一段（A 改）'), ...blocks.slice(1)]));
    await b.sync.commitChanged(edit(b.dir, (blocks) => [...blocks.slice(0, 2), p('第三段（B 改）')]));

    const result = await b.sync.sync();
    expect(racing.answered()).toBe(true);
    expect(result).toMatchObject({ status: 'merged', merged: [ID], conflicts: [] });
    // B's text is still B's, with A's change beside it, and both are on the server.
    expect(texts(readArticle(b.dir))).toEqual(['第一段（A 改）', '第二段', '第三段（B 改）']);
    expect(serverFile(o.name, 'main', articlePath)).toBe(readFileSync(join(b.dir, articlePath), 'utf8'));
    expect(existsSync(join(b.dir, '.git', 'refs', 'gazette', 'refused'))).toBe(false);
  }, 60_000);

  it('a change the server refused gives way to its newer version: the text written here is kept as a version the writer can open', async () => {
    const o = await officeWithArticle();
    const a = await o.desk(o.office.writer, 'a');
    // The hook's answer to B's first push (as for a change the policy does not allow), without it reaching the server.
    const refusing = answerFirstPush({ ng: 'pre-receive hook declined', hookSaid: refusalLine(refusal('unit_foreign')) });
    const b = await o.desk(o.office.writer, 'b', refusing);
    await b.sync.commitChanged(edit(b.dir, (blocks) => [...blocks.slice(0, 2), p('第三段（B 改，被拒绝）')]));
    expect(await b.sync.sync()).toMatchObject({ status: 'refused', marked: [articlePath] });
    await a.sync.commitChanged(edit(a.dir, (blocks) => [p('第一段（A 改）'), ...blocks.slice(1)]));
    expect((await a.sync.sync()).status).toBe('synced');

    const next = await b.sync.sync();
    expect(next.status).toBe('synced');
    expect(texts(readArticle(b.dir))).toEqual(['第一段（A 改）', '第二段', '第三段']);
    if (next.status === 'synced') expect(next.notices?.[0]?.message).toContain('服务器拒绝的本机版本');
    // What B wrote is not gone: a version in the article's versions list holds it.
    const folder = join(b.dir, 'articles', ID, 'revisions');
    const kept = readdirSync(folder).map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as Revision);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ name: '服务器拒绝的本机版本', reason: 'sync_refused' });
    expect(texts(kept[0] as unknown as Article)).toEqual(['第一段', '第二段', '第三段（B 改，被拒绝）']);
  }, 60_000);

  it('a desktop without a key cannot merge: diverged, nothing touched', async () => {
    const o = await officeWithArticle();
    const a = await o.desk(o.office.writer, 'a');
    const b = await o.desk(o.office.writer, 'b');
    await a.sync.commitChanged(edit(a.dir, (blocks) => [p('A'), ...blocks.slice(1)]));
    await b.sync.commitChanged(edit(b.dir, (blocks) => [...blocks.slice(0, 2), p('B')]));
    expect((await a.sync.sync()).status).toBe('synced');
    const text = readFileSync(join(b.dir, articlePath), 'utf8');
    const keyless = new OfficeSyncClient({ dir: b.dir, credentials: () => ({ username: 'writer', password: PASSWORD }), signer: null, retry: { attempts: 1 } });
    const result: SyncResult = await keyless.sync();
    expect(result).toMatchObject({ status: 'diverged', reason: 'no_signer' });
    expect(readFileSync(join(b.dir, articlePath), 'utf8')).toBe(text);
  }, 60_000);
});
