import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProtector, unlockKeyPair, signBytes } from '../../node/services/identity/keys';
import { PeopleDirectory } from '../../node/services/identity/people-directory';
import { nodeRecordCrypto as crypto } from '../../node/services/record/crypto';
import { draftsRepo, submittedRepo } from '../../node/services/sync/office-repos';
import { entrySigningText, nextEntry, type RecordEntry, type SignedEvent, signedEntry } from '../../shared/record/entry';
import { addRepository, missingPackages, repositoryPath, setUser, startServer, stopServer } from '../../scripts/office-server/kit';
import { freePort } from '../support/free-port';

/*
 * Desktops of one office as separate workspaces AND separate processes, each
 * driven through the CLI (`gazette office join`, `gazette sync`) against the
 * real office server (Apache + git-http-backend + the hooks). The office is
 * made the way an office makes it: `gazette office setup` and `gazette people
 * add` on the administrator's desktop, which then joins the empty server and
 * carries the office, and everyone's sealed keys, to it. What goes wrong
 * (the server killed mid-push and mid-fetch, history tampered with on the
 * server), the air gap and a revoked writer: office-faults.test.ts.
 */

const missing = missingPackages();
if (missing.length) console.warn(`[skip] office desktop tests: missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);

const ROOT = resolve(__dirname, '../..');
const PASSWORDS = { admin: 'admin-pass-2026', w1: 'writer-one-2026', w2: 'writer-two-2026', r: 'reviewer-2026' } as const;
type Who = keyof typeof PASSWORDS;
const HASH_A = 'a'.repeat(64);

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** The CLI in its own process, as a desktop's command line would run it. */
function gazette(args: string[], password?: string): Run {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'node/cli/gazette.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GAZETTE_PASSWORD: password ?? '' },
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function gazetteJson<T>(args: string[], password?: string): { run: Run; value: T } {
  const run = gazette([...args, '--json'], password);
  let value: T;
  try {
    value = JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
  }
  return { run, value };
}

function git(args: string[]): Run {
  const result = spawnSync('git', ['-c', 'safe.directory=*', ...args], { encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

interface Round {
  phase: string;
  sent: string[];
  received: string[];
  conflicts: string[];
  refused: { repo: string; reasons: string[] }[];
  message: string | null;
}

describe.skipIf(missing.length > 0)('desktops of one office, each its own workspace and process, through the office server', () => {
  let root: string;
  let serverDir: string;
  let port: number;
  let url: string;
  const ids = {} as Record<Who, string>;
  const desk = (name: string) => join(root, name);

  /** Signs and appends a record entry as `who`, with their key as people.json on `dir` holds it. */
  async function appendEntry(dir: string, who: Who, articleId: string, event: SignedEvent): Promise<void> {
    const people = await PeopleDirectory.open(dir);
    const key = await unlockKeyPair(people.record(ids[who])!.key!, passwordProtector(PASSWORDS[who]));
    const file = join(dir, 'articles', articleId, 'record.jsonl');
    const entries = existsSync(file) ? (readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) as RecordEntry[]) : [];
    const version = readdirSync(join(dir, 'office', 'policy')).length;
    const unsigned = nextEntry(articleId, entries.at(-1) ?? null, version, event, crypto);
    const entry = signedEntry(unsigned, { keyId: key.keyId, value: signBytes(key, entrySigningText(unsigned)) });
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
  }

  function writeArticle(dir: string, id: string, who: Who, body: string): void {
    mkdirSync(join(dir, 'articles', id), { recursive: true });
    writeFileSync(join(dir, 'articles', id, 'article.json'), `${JSON.stringify({ id, createdBy: ids[who], body }, null, 2)}\n`);
  }

  const sync = (dir: string, who: Who, extra: string[] = []) => gazetteJson<Round>(['sync', '--workspace', dir, '--attempts', '2', ...extra], PASSWORDS[who]);
  const join_ = (dir: string, who: Who) => gazetteJson<{ status: string; message?: string; repos?: string[] }>(['office', 'join', url, '--as', ids[who], '--workspace', dir, '--attempts', '2'], PASSWORDS[who]);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gazette-desktops-'));
    chmodSync(root, 0o755);
    serverDir = join(root, 'server');
    port = await freePort();
    url = `http://127.0.0.1:${port}/git/`;
    // The administrator's desktop: the office and its people, made as an office makes them.
    const a0 = desk('admin');
    const setup = gazetteJson<{ id: string }>(['office', 'setup', '--name', '管理员', '--unit', '党政办', '--workspace', a0], PASSWORDS.admin);
    expect(setup.run.status).toBe(0);
    ids.admin = setup.value.id;
    const pw = join(root, 'admin.pw');
    writeFileSync(pw, PASSWORDS.admin);
    const add = (who: Who, name: string, unit: string, roles: string) => {
      const made = gazetteJson<{ id: string }>(
        ['people', 'add', '--name', name, '--unit', unit, '--roles', roles, '--as', ids.admin, '--password-file', pw, '--workspace', a0],
        PASSWORDS[who],
      );
      expect(made.run.status, made.run.stderr).toBe(0);
      ids[who] = made.value.id;
    };
    add('w1', '张撰稿', '党政办', 'writer');
    add('w2', '王撰稿', '教育局', 'writer');
    add('r', '李审核', '党政办', 'reviewer');
    await startServer({ dir: serverDir, port });
    // The repositories the office's layout names (the kit also creates them from the policy when it arrives).
    for (const name of ['office', ...['党政办', '教育局'].flatMap((u) => [draftsRepo(u).name, submittedRepo(u).name]), ...Object.values(ids).map((id) => `person-${id}`)]) {
      addRepository(serverDir, name);
    }
    // Logins last: adding one rewrites the server's access file for the repositories there are.
    for (const who of Object.keys(PASSWORDS) as Who[]) setUser(serverDir, ids[who], PASSWORDS[who]);
  }, 180_000);

  afterAll(async () => {
    if (serverDir) await stopServer(serverDir);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the first desktop carries the office and everyone’s sealed keys to the empty server; a writer joins elsewhere with only a password', () => {
    const first = join_(desk('admin'), 'admin');
    expect(first.run.status, first.run.stdout + first.run.stderr).toBe(0);
    expect(first.value.status).toBe('joined');
    expect(git(['--git-dir', repositoryPath(serverDir, 'office'), 'rev-parse', 'main']).status).toBe(0);

    const a = join_(desk('w1-a'), 'w1');
    expect(a.value.status, a.value.message).toBe('joined');
    expect(a.value.repos).toEqual(['office', `person-${ids.w1}`, submittedRepo('党政办').name, draftsRepo('党政办').name]);
    // They can sign in here: people.json holds their record with the key from their personal repository.
    const people = JSON.parse(readFileSync(join(desk('w1-a'), 'people.json'), 'utf8')) as { people: { person: { id: string } }[] };
    expect(people.people.map((p) => p.person.id)).toEqual([ids.w1]);
    // The sealed key lives outside the workspace's own folders.
    expect(existsSync(join(desk('w1-a'), 'people'))).toBe(false);

    // A wrong password keeps nothing.
    const wrong = gazetteJson<{ status: string }>(['office', 'join', url, '--as', ids.w1, '--workspace', desk('w1-wrong')], 'not-the-password');
    expect(wrong.run.status).toBe(1);
    expect(['wrong_password', 'unauthorized']).toContain(wrong.value.status);
    expect(existsSync(join(desk('w1-wrong'), '.sync'))).toBe(false);
    expect(existsSync(join(desk('w1-wrong'), 'office'))).toBe(false);

    // Joining again says so and changes nothing.
    const again = join_(desk('w1-a'), 'w1');
    expect(again.run.status).toBe(0);
    expect(again.run.stdout).toContain('"alreadyJoined": true');
  }, 180_000);

  it('an article written offline on A appears on B; submitted, it reaches the reviewer on C and never another unit’s writer; a reviewer never receives drafts', async () => {
    const b = join_(desk('w1-b'), 'w1');
    expect(b.value.status, b.value.message).toBe('joined');
    const c = join_(desk('r-c'), 'r');
    expect(c.value.status, c.value.message).toBe('joined');
    expect(c.value.repos).not.toContain(draftsRepo('党政办').name);
    const d = join_(desk('w2-d'), 'w2');
    expect(d.value.status, d.value.message).toBe('joined');

    // Written on A without syncing (as offline), then one round.
    writeArticle(desk('w1-a'), 'art-one-0001', 'w1', '第一稿');
    writeArticle(desk('w1-a'), 'art-draft-0002', 'w1', '只是草稿');
    const sentA = sync(desk('w1-a'), 'w1');
    expect(sentA.run.status, sentA.run.stdout).toBe(0);
    expect(sentA.value.sent.length).toBeGreaterThan(0);
    const gotB = sync(desk('w1-b'), 'w1');
    expect(gotB.run.status).toBe(0);
    expect(readFileSync(join(desk('w1-b'), 'articles', 'art-one-0001', 'article.json'), 'utf8')).toContain('第一稿');

    // Submitted on A: moved from the unit's drafts to its submitted work.
    await appendEntry(desk('w1-a'), 'w1', 'art-one-0001', { type: 'submit', at: new Date().toISOString(), actorId: ids.w1, contentHash: HASH_A, stageId: 'first', note: '' } as SignedEvent);
    expect(sync(desk('w1-a'), 'w1').run.status).toBe(0);
    const gotC = sync(desk('r-c'), 'r');
    expect(gotC.run.status, gotC.run.stdout).toBe(0);
    expect(existsSync(join(desk('r-c'), 'articles', 'art-one-0001', 'record.jsonl'))).toBe(true);
    // The reviewer never receives drafts.
    expect(existsSync(join(desk('r-c'), 'articles', 'art-draft-0002'))).toBe(false);
    // Another unit's writer receives nothing of it.
    expect(sync(desk('w2-d'), 'w2').run.status).toBe(0);
    expect(existsSync(join(desk('w2-d'), 'articles'))).toBe(false);
    // The server's drafts no longer hold the submitted article; submitted work does.
    const ls = (repo: string) => git(['--git-dir', repositoryPath(serverDir, repo), 'ls-tree', '-r', '--name-only', 'main']).stdout;
    expect(ls(draftsRepo('党政办').name)).not.toContain('art-one-0001');
    expect(ls(draftsRepo('党政办').name)).toContain('art-draft-0002');
    expect(ls(submittedRepo('党政办').name)).toContain('articles/art-one-0001/record.jsonl');
    // B keeps the article: it moved, it was not deleted.
    expect(sync(desk('w1-b'), 'w1').run.status).toBe(0);
    expect(existsSync(join(desk('w1-b'), 'articles', 'art-one-0001', 'article.json'))).toBe(true);
    expect(existsSync(join(desk('w1-b'), 'articles', 'art-one-0001', 'record.jsonl'))).toBe(true);

    // Every commit on the server is signed so stock git accepts it.
    const head = git(['--git-dir', repositoryPath(serverDir, submittedRepo('党政办').name), 'verify-commit', 'main']);
    expect(head.status, head.stderr).toBe(0);

    const status = gazetteJson<{ phase: string; repos: unknown[] }>(['office', 'status', '--workspace', desk('w1-b')]);
    expect(status.run.status).toBe(0);
    expect(status.value.phase).toBe('synced');
    expect(status.value.repos).toHaveLength(4);
  }, 300_000);

  it('gazette sync exits 1 when the server refuses, and names the reason', () => {
    const a = desk('w1-a');
    // A record rewritten by hand: the server's hook refuses the history.
    const file = join(a, 'articles', 'art-one-0001', 'record.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const forged = JSON.parse(lines[0]!) as RecordEntry;
    forged.event = { ...forged.event, note: '改过的' } as SignedEvent;
    writeFileSync(file, `${JSON.stringify(forged)}\n`);
    const refused = sync(a, 'w1');
    expect(refused.run.status).toBe(1);
    expect(refused.value.phase).toBe('refused');
    expect(refused.value.refused[0]?.reasons.join(' ')).toMatch(/拒绝推送/);
    writeFileSync(file, `${lines.join('\n')}\n`);
  }, 120_000);
});
