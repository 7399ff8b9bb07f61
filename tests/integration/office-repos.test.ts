import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRecordCrypto as crypto } from '../../node/services/record/crypto';
import { joinOffice, OfficeSyncClient, type SyncResult } from '../../node/services/sync/client';
import { carries, draftsRepo, type OfficeRepo, officeRepo, personRepo, submittedRepo } from '../../node/services/sync/office-repos';
import { isSyncedPath } from '../../node/services/sync/scope';
import { ed25519Signer } from '../../node/services/sync/sshsig';
import { describeRepos, writeGroupFile } from '../../scripts/office-server/access';
import { missingPackages, repositoryPath, repositoryUrl, serverPid, setUser, startServer, stopServer } from '../../scripts/office-server/kit';
import { entrySigningText, nextEntry, type RecordEntry, signedEntry } from '../../shared/record/entry';
import { verifyArticleRecord } from '../../shared/record/verify';
import type { Person } from '../../shared/workflow/review-chain';
import { serverOffice, writeOffice } from '../support/server-office';
import { type Signer, signText } from '../support/signer';
import { freePort } from '../support/free-port';

/*
 * The office server holds one repository per unit and role (office-repos.ts)
 * and lets each login read only what the office policy gives them: Apache's
 * group file, written from the policy by the post-receive hook, is the first
 * gate; the pre-receive hook, judging by the policy in force before the push,
 * the second — tested here by forging the group file, as a misconfigured
 * server or another front end would leave it.
 */

const missing = missingPackages();
if (missing.length) console.warn(`[skip] office repository tests: missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);

const PASSWORD = 'office-pass-2026';
const EDU = '县教育局';
const HEALTH = '县卫健委';
const CIVIL = '县民政局';
const HASH_A = 'a'.repeat(64);

const person = (id: string, name: string, unit: string, roles: Person['roles']): Person => ({ id, name, unit, roles, active: true });

const makeOffice = () =>
  serverOffice(
    {
      admin: person('admin', '管理员', '', ['admin']),
      wa: person('wa', '王教育', EDU, ['writer']),
      wb: person('wb', '李卫健', HEALTH, ['writer']),
      rv: person('rv', '赵审核', '', ['reviewer']),
      pub: person('pub', '钱发布', '', ['publisher']),
      // Joins in a later policy version, in a unit the first one does not name.
      wc: person('wc', '孙民政', CIVIL, ['writer']),
    },
    { later: ['wc'] },
  );
type Office = ReturnType<typeof makeOffice>;

/** A record whose first entry is `by`'s submission: it says whose the article is. */
function submitted(office: Office, articleId: string, by: Signer): RecordEntry[] {
  const unsigned = nextEntry(
    articleId,
    null,
    1,
    { type: 'submit', at: new Date(Date.now() - 3600_000).toISOString(), actorId: by.person.id, contentHash: HASH_A, stageId: 'first', note: '' },
    crypto,
  );
  const entries = [signedEntry(unsigned, { keyId: by.keyId, value: signText(by, entrySigningText(unsigned)) })];
  expect(verifyArticleRecord({ articleId, entries, policy: office.verified(), currentHash: null, crypto }).problems).toEqual([]);
  return entries;
}

function writeArticle(dir: string, id: string, body: string, createdBy: string, record?: readonly RecordEntry[]): string[] {
  mkdirSync(join(dir, 'articles', id), { recursive: true });
  writeFileSync(join(dir, 'articles', id, 'article.json'), `${JSON.stringify({ id, body, createdBy }, null, 2)}\n`);
  const paths = [`articles/${id}/article.json`];
  if (record) {
    writeFileSync(join(dir, 'articles', id, 'record.jsonl'), record.map((e) => `${JSON.stringify(e)}\n`).join(''));
    paths.push(`articles/${id}/record.jsonl`);
  }
  return paths;
}

async function until(test: () => boolean | Promise<boolean>, ms = 30_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return test();
}

describe.skipIf(missing.length > 0)('office repositories by who may read, through Apache and the hooks', () => {
  let root: string;
  let serverDir: string;
  let port: number;
  let office: Office;
  let labels = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gazette-office-repos-'));
    // Started as root, Apache's workers run as www-data and must be able to enter the folder.
    chmodSync(root, 0o755);
    serverDir = join(root, 'server');
    port = await freePort();
    await startServer({ dir: serverDir, port, repos: ['office'] });
    for (const login of ['admin', 'wa', 'wb', 'rv', 'pub', 'wc']) setUser(serverDir, login, PASSWORD);
    office = makeOffice();
  }, 60_000);

  afterAll(async () => {
    if (serverDir) await stopServer(serverDir);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const url = (repo: OfficeRepo | string) => repositoryUrl({ port }, typeof repo === 'string' ? repo : repo.name);
  /** The HTTP status git's first request gets (the reference list): what decides whether a clone or push can start. */
  const status = async (login: string, repo: OfficeRepo, service: 'upload' | 'receive' = 'upload') => {
    const response = await fetch(`${url(repo)}/info/refs?service=git-${service}-pack`, {
      headers: { authorization: `Basic ${Buffer.from(`${login}:${PASSWORD}`).toString('base64')}` },
    });
    await response.arrayBuffer();
    return response.status;
  };
  const signer = (s: Signer) => ({ personId: s.person.id, name: s.person.name, publicKey: s.publicKey, sign: ed25519Signer(s.privateKey) });
  /** A desktop of `who` working with `repo` (its own workspace folder). */
  async function desktop(who: Signer, repo: OfficeRepo, scope = (path: string) => carries(repo.kind, path)) {
    const dir = join(root, `${who.person.id}-${repo.name}-${++labels}`);
    const joined = await joinOffice({ url: url(repo), username: who.person.id, password: PASSWORD, dir, scope });
    const sync = new OfficeSyncClient({
      dir,
      scope,
      credentials: () => ({ username: who.person.id, password: PASSWORD }),
      signer: signer(who),
      retry: { attempts: 1, baseDelayMs: 50 },
    });
    return { dir, joined, sync };
  }
  const serverHead = (repo: OfficeRepo) =>
    spawnSync('git', ['-c', 'safe.directory=*', '--git-dir', repositoryPath(serverDir, repo.name), 'rev-parse', '--verify', '--quiet', 'refs/heads/main'], { encoding: 'utf8' }).stdout.trim();
  const refusedWith = (result: SyncResult, code: string) => {
    expect(result).toMatchObject({ status: 'refused' });
    if (result.status !== 'refused') return;
    expect(result.codes).toContain(code);
    expect(result.reasons[0]).toMatch(/^拒绝推送：.+ Refused: .+\[[a-z_]+\]$/);
  };
  /** Whether a post-receive hook of this server still runs (it is started detached and rewrites the group file when it ends). */
  const hookRunning = () =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .some((name) => {
        try {
          return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(join(serverDir, 'hook', 'post-receive.mjs'));
        } catch {
          return false;
        }
      });
  /** Lets `logins` read and push `repo` in Apache's group file, as a misconfigured server would: the hook must still refuse. */
  const forgeGroups = async (repo: OfficeRepo, logins: string[]) => {
    expect(await until(() => !hookRunning())).toBe(true);
    appendFileSync(join(serverDir, 'access', 'groups'), `${repo.name}: ${logins.join(' ')}\n${repo.name}.push: ${logins.join(' ')}\n`);
  };

  const eduDrafts = draftsRepo(EDU);
  const eduSubmitted = submittedRepo(EDU);
  const healthDrafts = draftsRepo(HEALTH);
  const healthSubmitted = submittedRepo(HEALTH);

  it("a fresh server holds only the office repository, open to every login; the first admin's push founds the office and its repositories", async () => {
    expect(describeRepos(serverDir).map((d) => d.repo.name)).toEqual(['office']);
    expect(await status('wa', officeRepo, 'receive')).toBe(200);
    expect(await status('wa', eduDrafts)).not.toBe(200);

    const admin = await desktop(office.admin, officeRepo);
    expect(admin.joined).toEqual({ status: 'joined', head: null, received: [] });
    await admin.sync.commitChanged(writeOffice(admin.dir, office), '单位策略第 1 版');
    expect((await admin.sync.sync()).status).toBe('synced');

    const expected = [officeRepo, eduDrafts, eduSubmitted, healthDrafts, healthSubmitted, ...['admin', 'wa', 'wb', 'rv', 'pub'].map(personRepo)].map((r) => r.name);
    // A push that changes the policy is answered once its repositories and rights are in place: the desktop asks for them next.
    expect(expected.filter((name) => !existsSync(join(repositoryPath(serverDir, name), 'HEAD')))).toEqual([]);
    // The rights follow the policy from now on: everyone reads the office, only administrators push to it.
    expect(await status('wa', officeRepo, 'receive')).toBe(401);
    expect(await status('wa', officeRepo)).toBe(200);
    expect(await status('admin', officeRepo, 'receive')).toBe(200);

    const listed = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/office-server/cli.ts', 'repos', '--dir', serverDir], { encoding: 'utf8' });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${eduDrafts.name}\t草稿 drafts\t${EDU}\n  read:  wa\n  push:  wa\n`);
    expect(listed.stdout).toContain(`${healthSubmitted.name}\t已送审 submitted\t${HEALTH}\n  read:  pub rv wb\n`);
    expect(listed.stdout).toContain('person-wa\t个人 person\twa\n  read:  wa\n  push:  admin wa\n');
  }, 120_000);

  it("a writer reads their own unit's drafts and submitted work only; reviewers and publishers every unit's submitted work and no drafts; a person's repository is theirs", async () => {
    const reads: Array<[string, OfficeRepo, boolean]> = [
      ['wa', eduDrafts, true],
      ['wa', eduSubmitted, true],
      ['wa', healthDrafts, false],
      ['wa', healthSubmitted, false],
      ['wb', healthDrafts, true],
      ['wb', eduDrafts, false],
      ['rv', eduDrafts, false],
      ['rv', healthDrafts, false],
      ['rv', eduSubmitted, true],
      ['rv', healthSubmitted, true],
      ['pub', eduDrafts, false],
      ['pub', eduSubmitted, true],
      ['pub', healthSubmitted, true],
      ['wa', personRepo('wa'), true],
      ['wb', personRepo('wa'), false],
      ['admin', personRepo('wa'), false],
      ['rv', officeRepo, true],
    ];
    const seen = await Promise.all(reads.map(async ([login, repo]) => [login, repo.name, await status(login, repo)]));
    expect(seen).toEqual(reads.map(([login, repo, allowed]) => [login, repo.name, allowed ? 200 : 401]));
    // An administrator issues a person's new sealed key without reading their repository.
    expect(await status('admin', personRepo('wa'), 'receive')).toBe(200);
    // Through git itself: the clone is turned away and leaves nothing behind.
    const refused = await desktop(office.wb, eduDrafts);
    expect(refused.joined).toMatchObject({ status: 'unauthorized' });
    expect(existsSync(join(refused.dir, '.git'))).toBe(false);
  }, 60_000);

  it("a writer pushes to their unit's drafts and not another unit's: turned away by Apache, and by the hook when the group file lets them in", async () => {
    const wa = await desktop(office.wa, eduDrafts);
    expect(wa.joined).toMatchObject({ status: 'joined', head: null });
    await wa.sync.commitChanged([...writeOffice(wa.dir, office), ...writeArticle(wa.dir, 'edu-0001', '全县中小学开学工作会议', 'wa')], '新稿件');
    expect((await wa.sync.sync()).status).toBe('synced');
    const head = serverHead(eduDrafts);
    expect(head).not.toBe('');
    expect(await status('wb', eduDrafts, 'receive')).toBe(401);

    await forgeGroups(eduDrafts, ['wb']);
    try {
      const wb = await desktop(office.wb, eduDrafts);
      expect(wb.joined.status).toBe('joined');
      await wb.sync.commitChanged(writeArticle(wb.dir, 'health-0001', '卫健委的稿件', 'wb'));
      const result = await wb.sync.sync();
      refusedWith(result, 'repo_not_yours');
      if (result.status === 'refused') expect(result.reasons[0]).toContain(`提交者 李卫健 无权写入仓库 ${eduDrafts.name}`);
    } finally {
      writeGroupFile(serverDir);
    }
    expect(serverHead(eduDrafts)).toBe(head);
  }, 90_000);

  it("a reviewer may write every unit's submitted work, but not one unit's article into another unit's repository", async () => {
    const id = 'edu-0002';
    const record = submitted(office, id, office.wa);
    const wrong = await desktop(office.rv, healthSubmitted);
    await wrong.sync.commitChanged([...writeOffice(wrong.dir, office), ...writeArticle(wrong.dir, id, '教育局送审稿', 'wa', record)]);
    const result = await wrong.sync.sync();
    refusedWith(result, 'unit_foreign');
    if (result.status === 'refused') expect(result.reasons[0]).toContain(`其他单位（${EDU}）的文稿 articles/${id}/`);
    expect(serverHead(healthSubmitted)).toBe('');

    const right = await desktop(office.rv, eduSubmitted);
    await right.sync.commitChanged([...writeOffice(right.dir, office), ...writeArticle(right.dir, id, '教育局送审稿', 'wa', record)]);
    expect((await right.sync.sync()).status).toBe('synced');
    // And the writer of that unit receives it.
    const wa = await desktop(office.wa, eduSubmitted);
    expect(wa.joined.status).toBe('joined');
    expect(readFileSync(join(wa.dir, 'articles', id, 'article.json'), 'utf8')).toContain('教育局送审稿');
  }, 90_000);

  it("the office repository takes only administrators' pushes and only the policy; a person's repository only that person's key", async () => {
    // Desktops that would commit anything synced, as a modified or older client might.
    const wa = await desktop(office.wa, officeRepo, isSyncedPath);
    expect(wa.joined.status).toBe('joined');
    await wa.sync.commitChanged(writeArticle(wa.dir, 'edu-0003', '写进单位仓库的稿件', 'wa'));
    expect((await wa.sync.sync()).status).toBe('unauthorized');
    await forgeGroups(officeRepo, ['wa']);
    try {
      refusedWith(await wa.sync.sync(), 'repo_not_yours');
    } finally {
      writeGroupFile(serverDir);
    }

    const admin = await desktop(office.admin, officeRepo, isSyncedPath);
    const before = serverHead(officeRepo);
    await admin.sync.commitChanged(writeArticle(admin.dir, 'edu-0004', '管理员误放的稿件', 'admin'));
    refusedWith(await admin.sync.sync(), 'path_not_carried');
    expect(serverHead(officeRepo)).toBe(before);

    const own = await desktop(office.wa, personRepo('wa'));
    const key = (id: string) => {
      mkdirSync(join(own.dir, 'people', id), { recursive: true });
      writeFileSync(join(own.dir, 'people', id, 'key.json'), `${JSON.stringify({ sealed: `key of ${id}` })}\n`);
      return [`people/${id}/key.json`];
    };
    await own.sync.commitChanged([...writeOffice(own.dir, office), ...key('wa')]);
    expect((await own.sync.sync()).status).toBe('synced');
    const head = serverHead(personRepo('wa'));
    await own.sync.commitChanged(key('wb'));
    const result = await own.sync.sync();
    refusedWith(result, 'path_not_carried');
    if (result.status === 'refused') expect(result.reasons[0]).toContain('people/wb/key.json');
    expect(serverHead(personRepo('wa'))).toBe(head);
  }, 120_000);

  it('a policy version naming a new unit creates its repositories and lets its writer in, without restarting Apache', async () => {
    const civilDrafts = draftsRepo(CIVIL);
    const pid = serverPid(serverDir);
    expect(await status('wc', civilDrafts)).not.toBe(200);
    office.amend((p) => ({ ...p, note: '新增县民政局', people: [...p.people, office.wc.person], keys: [...p.keys, office.key(office.wc, office.t0)] }));
    const admin = await desktop(office.admin, officeRepo);
    await admin.sync.commitChanged(writeOffice(admin.dir, office), '新增县民政局');
    expect((await admin.sync.sync()).status).toBe('synced');

    expect(await status('wc', civilDrafts)).toBe(200);
    expect(existsSync(join(repositoryPath(serverDir, submittedRepo(CIVIL).name), 'HEAD'))).toBe(true);
    expect(await status('wc', submittedRepo(CIVIL))).toBe(200);
    expect(await status('rv', submittedRepo(CIVIL))).toBe(200);
    expect(await status('wa', civilDrafts)).toBe(401);
    expect(serverPid(serverDir)).toBe(pid);

    // The new writer works in the new unit's drafts at once.
    const wc = await desktop(office.wc, civilDrafts);
    await wc.sync.commitChanged([...writeOffice(wc.dir, office), ...writeArticle(wc.dir, 'civil-0001', '民政局的第一篇稿件', 'wc')]);
    expect((await wc.sync.sync()).status).toBe('synced');
  }, 120_000);

  it("on a server without the kit's access files (Gitea, GitLab), the hook judges by the office repository it is pointed to", async () => {
    const config = (...args: string[]) =>
      spawnSync('git', ['config', '--file', join(repositoryPath(serverDir, healthDrafts.name), 'config'), ...args], { encoding: 'utf8' });
    config('--unset', 'gazette.serverDir');
    config('gazette.officeGitDir', repositoryPath(serverDir, officeRepo.name));
    try {
      await forgeGroups(healthDrafts, ['wa', 'wb']);
      const wa = await desktop(office.wa, healthDrafts);
      await wa.sync.commitChanged([...writeOffice(wa.dir, office), ...writeArticle(wa.dir, 'edu-0006', '走错仓库的稿件', 'wa')]);
      refusedWith(await wa.sync.sync(), 'repo_not_yours');
      expect(serverHead(healthDrafts)).toBe('');
      const wb = await desktop(office.wb, healthDrafts);
      await wb.sync.commitChanged([...writeOffice(wb.dir, office), ...writeArticle(wb.dir, 'health-0002', '卫健委的稿件', 'wb')]);
      expect((await wb.sync.sync()).status).toBe('synced');
    } finally {
      config('--unset', 'gazette.officeGitDir');
      config('gazette.serverDir', serverDir);
      writeGroupFile(serverDir);
    }
  }, 90_000);

  it('rights come from the policy in force before the push: an administrator cannot make themselves a writer and write in the same push', async () => {
    await forgeGroups(eduDrafts, ['admin']);
    try {
      const admin = await desktop(office.admin, eduDrafts);
      expect(admin.joined.status).toBe('joined');
      const head = serverHead(eduDrafts);
      office.amend((p) => ({ ...p, people: p.people.map((x) => (x.id === 'admin' ? { ...x, unit: EDU, roles: ['admin', 'writer'] } : x)) }));
      await admin.sync.commitChanged([...writeOffice(admin.dir, office), ...writeArticle(admin.dir, 'edu-0005', '管理员自封撰稿人', 'admin')]);
      refusedWith(await admin.sync.sync(), 'repo_not_yours');
      expect(serverHead(eduDrafts)).toBe(head);
    } finally {
      writeGroupFile(serverDir);
    }
  }, 90_000);

  it("a draft's record leaves the unit's drafts only with the signed entries that continue it up to its submission", async () => {
    const id = 'edu-moving';
    const at = (s: number) => new Date(Date.now() - 3600_000 + s * 1000).toISOString();
    const sign = (before: RecordEntry[], event: Parameters<typeof nextEntry>[3]) => {
      // Signed under the policy in force now (the tests before this one amended it).
      const unsigned = nextEntry(id, before.at(-1) ?? null, office.chain.at(-1)!.policy.version, event, crypto);
      return signedEntry(unsigned, { keyId: office.wa.keyId, value: signText(office.wa, entrySigningText(unsigned)) });
    };
    const edit = sign([], { type: 'edit', at: at(0), actorId: 'wa', contentHash: HASH_A, previousHash: null, stageId: null, note: '' });
    const submit = sign([edit], { type: 'submit', at: at(1), actorId: 'wa', contentHash: HASH_A, stageId: 'first', note: '' });
    const first = await desktop(office.wa, eduDrafts);
    await first.sync.commitChanged([...writeOffice(first.dir, office), ...writeArticle(first.dir, id, '草稿', 'wa', [edit])]);
    const drafted = await first.sync.sync();
    expect(drafted.status === 'refused' ? drafted.reasons : drafted.status).toBe('synced');
    const before = serverHead(eduDrafts);

    /** Another desktop of the writer takes the article out of drafts, leaving `note` (or none) behind. */
    const leave = async (note: unknown) => {
      const desk = await desktop(office.wa, eduDrafts);
      rmSync(join(desk.dir, 'articles', id), { recursive: true });
      const paths = [`articles/${id}/article.json`, `articles/${id}/record.jsonl`];
      if (note !== null) {
        mkdirSync(join(desk.dir, 'moved'), { recursive: true });
        writeFileSync(join(desk.dir, 'moved', `${id}.json`), JSON.stringify(note));
        paths.push(`moved/${id}.json`);
      }
      await desk.sync.commitChanged(paths);
      return desk.sync.sync();
    };
    const note = (entries: unknown[]) => ({ format: 'gazette/moved/v1', articleId: id, entries });

    // Deleted outright, the writer's signed acts would be gone.
    refusedWith(await leave(null), 'record_deleted');
    // A submission other than the one the writer signed proves nothing,
    refusedWith(await leave(note([{ ...submit, event: { ...submit.event, note: '改过' } }])), 'record_deleted');
    // nor does a note without one.
    refusedWith(await leave(note([])), 'record_deleted');
    expect(serverHead(eduDrafts)).toBe(before);
    // With the signed submission that continues the record, the article moves on.
    const moved = await leave(note([submit]));
    expect(moved.status === 'refused' ? moved.reasons : moved.status).toBe('synced');
    expect(serverHead(eduDrafts)).not.toBe(before);
  }, 180_000);
});
