import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyIdOf, type UnlockedKey, signBytes } from '../../../node/services/identity/keys';
import { nodeRecordCrypto as crypto } from '../../../node/services/record/crypto';
import { OfficePolicyStore } from '../../../node/services/record/policy-store';
import { buildPackage, type PackageArticle } from '../../../node/services/transfer/package';
import type { Article } from '../../../shared/domain/article';
import { entrySigningText, nextEntry, type RecordEntry, type SignedEvent } from '../../../shared/record/entry';
import { policySigningText, signedPolicyHash } from '../../../shared/record/policy';
import type { Person } from '../../../shared/workflow/review-chain';
import { createOffice, draft, joinOffice, type Office, snapshot } from '../../support/review-api';

/*
 * Each attack on "what goes live is exactly what was approved", tried as an
 * attacker would: forged files on disk, records signed with the wrong keys,
 * packages built by a dishonest exporter. Each must be refused, say why, and
 * leave the workspace as it was.
 */

const TEAM = [
  { who: 'writer', name: '张撰稿', roles: ['writer' as const] },
  { who: 'r1', name: '李初审', roles: ['reviewer' as const] },
  { who: 'r2', name: '王终审', roles: ['reviewer' as const] },
  { who: 'publisher', name: '赵发布', roles: ['publisher' as const] },
];
const CHAIN = {
  stages: [
    { id: 'first', name: '初审', roles: ['reviewer' as const] },
    { id: 'final', name: '终审', roles: ['reviewer' as const] },
  ],
};
// A 1×1 PNG, and another one with a different pixel.
const PNG_A = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const PNG_B = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let a: Office;

beforeEach(async () => {
  a = await createOffice(TEAM, { chain: CHAIN });
});

afterEach(async () => {
  await a.close();
});

const recordFile = (office: Office, id: string) => join(office.dir, 'articles', id, 'record.jsonl');
const readRecord = (office: Office, id: string): RecordEntry[] =>
  readFileSync(recordFile(office, id), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
const writeRecord = (office: Office, id: string, entries: readonly unknown[]) =>
  writeFileSync(recordFile(office, id), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));

/** The key a signed-in person holds in their session (what malware running as them could use). */
function keyOf(office: Office, who: string): UnlockedKey {
  return office.workspace.identity.signingKey(office.ctx(who), { id: office.people[who]!.id } as Person);
}

/** Signs `event` as the next entry of the article's record with `key`, as the person `actorId`. */
function forgeEntry(entries: readonly RecordEntry[], articleId: string, event: SignedEvent, key: { keyId: string; sign: (text: string) => string }): RecordEntry {
  const unsigned = nextEntry(articleId, entries.at(-1) ?? null, 1, event, crypto);
  const policyVersion = entries.at(-1)?.policyVersion ?? unsigned.policyVersion;
  const placed = { ...unsigned, policyVersion };
  return { ...placed, signature: { keyId: key.keyId, value: key.sign(entrySigningText(placed)) } };
}

const signerOf = (key: UnlockedKey) => ({ keyId: key.keyId, sign: (text: string) => signBytes(key, text) });

async function submitted(title = '区政府常务会议召开'): Promise<Article> {
  const article = await draft(a, 'writer', title, '会议研究了有关事项。');
  await a.value('writer', 'review:submit', { id: article.id, note: '' });
  return article;
}

async function approved(title?: string): Promise<Article> {
  const article = await submitted(title);
  for (const who of ['r1', 'r2']) {
    const view = await a.value(who, 'review:get', { id: article.id });
    await a.value(who, 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
  }
  return article;
}

/** What the gate, the review view and the CLI's status answer for a forged record: never publishable. */
async function expectRefused(id: string, problem: RegExp): Promise<void> {
  const view = await a.value('publisher', 'review:get', { id });
  expect(view.record.intact).toBe(false);
  expect(view.record.publishable).toBe(false);
  expect(view.record.problems.map((p) => p.message).join('；')).toMatch(problem);
  await expect(a.workspace.signoff.assertPublishable(id)).rejects.toThrow(/审核记录异常，不能发布/);
  const report = await a.workspace.verifier.verify([{ id }]);
  expect(report.ok).toBe(false);
}

async function policyVersions(office: Office) {
  return new OfficePolicyStore(office.dir, crypto).signedVersions();
}

describe('forged records on disk', () => {
  it('refuses an approval entry without a signature', async () => {
    const article = await submitted();
    const view = await a.value('r1', 'review:get', { id: article.id });
    const entries = readRecord(a, article.id);
    const forged = forgeEntry(entries, article.id, approveEvent(a.people.r1!.id, 'first', view.currentHash, false), signerOf(keyOf(a, 'r1')));
    const { signature: _dropped, ...unsigned } = forged;
    appendFileSync(recordFile(a, article.id), `${JSON.stringify(unsigned)}\n`);
    await expectRefused(article.id, /没有签名|签名/);
  });

  it('refuses an approval signed with a key the office never issued', async () => {
    const article = await submitted();
    const view = await a.value('r1', 'review:get', { id: article.id });
    const { privateKey } = generateKeyPairSync('ed25519');
    const foreign = { keyId: 'f'.repeat(32), sign: (text: string) => signBytes({ privateKey } as UnlockedKey, text) };
    const entries = readRecord(a, article.id);
    appendFileSync(recordFile(a, article.id), `${JSON.stringify(forgeEntry(entries, article.id, approveEvent(a.people.r1!.id, 'first', view.currentHash, false), foreign))}\n`);
    await expectRefused(article.id, /密钥/);
  });

  it('refuses approvals by people the policy does not entitle to the stage: the writer on their own article, a publisher', async () => {
    for (const who of ['writer', 'publisher']) {
      const article = await submitted(`${who} 自批稿件`);
      const view = await a.value(who, 'review:get', { id: article.id });
      const entries = readRecord(a, article.id);
      const forged = forgeEntry(entries, article.id, approveEvent(a.people[who]!.id, 'first', view.currentHash, false), signerOf(keyOf(a, who)));
      appendFileSync(recordFile(a, article.id), `${JSON.stringify(forged)}\n`);
      await expectRefused(article.id, /不允许|不能|审核/);
    }
  });

  it('detects an edited opinion, a deleted submission and reordered entries', async () => {
    const edited = await approved('改写意见');
    const one = readRecord(a, edited.id);
    const approval = one.find((entry) => entry.event.type === 'approve')!;
    (approval.event as { opinion: string }).opinion = '不同意';
    writeRecord(a, edited.id, one);
    await expectRefused(edited.id, /签名无效|被改动/);

    const padded = await approved('夹带字段');
    const lines = readRecord(a, padded.id);
    (lines.at(-1)!.event as unknown as Record<string, unknown>).note = '补签';
    writeRecord(a, padded.id, lines);
    await expectRefused(padded.id, /签名时没有的内容/);

    const deleted = await approved('删除提交');
    writeRecord(a, deleted.id, readRecord(a, deleted.id).filter((entry) => entry.event.type !== 'submit'));
    await expectRefused(deleted.id, /删除、插入或重排|没有接在/);

    const reordered = await approved('调换顺序');
    const entries = readRecord(a, reordered.id);
    writeRecord(a, reordered.id, [...entries.slice(0, -2), entries.at(-1), entries.at(-2)]);
    await expectRefused(reordered.id, /删除、插入或重排|没有接在/);
  });

  it('ignores a hand-written review.json and events.jsonl, and gazette verify names the forged list status', async () => {
    const article = await draft(a, 'writer', '伪造审核', '正文。');
    const folder = join(a.dir, 'articles', article.id);
    writeFileSync(
      join(folder, 'review.json'),
      JSON.stringify({ articleId: article.id, status: 'approved', stageIndex: null, chain: CHAIN, submittedBy: a.people.writer!.id, submittedAt: '2026-12-01T00:00:00.000Z', contentHash: 'a'.repeat(64), approvals: [{ personId: a.people.r2!.id, stageId: 'final', at: '2026-12-01T00:00:00.000Z', opinion: '同意', contentHash: 'a'.repeat(64), signature: null }], invalidatedApprovals: [], comments: [], notice: null }),
    );
    writeFileSync(join(folder, 'events.jsonl'), `${JSON.stringify({ type: 'approve', at: '2026-12-01T00:00:00.000Z', actorId: a.people.r2!.id, contentHash: 'a'.repeat(64), stageId: 'final', opinion: '同意', final: true, signature: null })}\n`);
    const articleFile = join(folder, 'article.json');
    const stored = readFileSync(articleFile, 'utf8');
    expect(stored).toMatch(/"status":\s*"draft"/);
    writeFileSync(articleFile, stored.replace(/"status":\s*"draft"/, '"status": "approved"'));
    const dir = a.dir;
    await a.workspace.close();
    a = await reopen(dir);

    const report = await a.workspace.verifier.verify([{ id: article.id }]);
    expect(report.ok).toBe(false);
    expect(report.articles[0]?.problems.join('')).toContain('文稿列表显示“已审核”，签名记录给出的却是“草稿”');
    await expect(a.workspace.signoff.assertPublishable(article.id)).rejects.toThrow(/不能发布/);
    const view = await a.value('publisher', 'review:get', { id: article.id });
    expect(view.state.status).toBe('draft');
    expect(view.state.approvals).toEqual([]);
    // Reading it healed the list: the cache says what the record says.
    expect((await a.value('publisher', 'articles:list', { status: 'approved' })).items).toEqual([]);
  });

  it('refuses an approval signed after a password reset with the key the reset revoked', async () => {
    const article = await submitted();
    const oldKey = keyOf(a, 'r1');
    await a.value('admin', 'people:setPassword', { personId: a.people.r1!.id, newPassword: 'a-new-password-1' });
    const view = await a.value('admin', 'review:get', { id: article.id });
    const entries = readRecord(a, article.id);
    const policy = await a.workspace.identity.policy();
    const forged = forgeEntry(entries, article.id, approveEvent(a.people.r1!.id, 'first', view.currentHash, false), signerOf(oldKey));
    // Signed under the newest policy, which records the revocation.
    const placed = { ...forged, policyVersion: policy.latest.version };
    const resigned = { ...placed, signature: { keyId: oldKey.keyId, value: signBytes(oldKey, entrySigningText(placed)) } };
    appendFileSync(recordFile(a, article.id), `${JSON.stringify(resigned)}\n`);
    await expectRefused(article.id, /吊销/);
    // The old key's earlier signature (the writer's submission is not r1's; r1 signed nothing before) — and r1's session ended.
    expect((await a.call('r1', 'review:get', { id: article.id })).ok).toBe(false);
  });
});

describe('the rules in force', () => {
  it('refuses an approval that names an older policy version to use a role since taken away', async () => {
    const article = await submitted();
    const before = await a.workspace.identity.policy();
    const r1 = a.people.r1!;
    await a.value('admin', 'people:save', { id: r1.id, name: r1.name, unit: r1.unit, roles: ['writer'], active: true });
    const after = await a.workspace.identity.policy();
    expect(after.latest.version).toBeGreaterThan(before.latest.version);
    const view = await a.value('admin', 'review:get', { id: article.id });
    const entries = readRecord(a, article.id);
    const unsigned = nextEntry(article.id, entries.at(-1)!, before.latest.version, approveEvent(r1.id, 'first', view.currentHash, false), crypto);
    const key = keyOf(a, 'r1');
    const forged = { ...unsigned, signature: { keyId: key.keyId, value: signBytes(key, entrySigningText(unsigned)) } };
    appendFileSync(recordFile(a, article.id), `${JSON.stringify(forged)}\n`);
    await expectRefused(article.id, /签署时生效的是第 \d+ 版/);
  });
});

describe('the office replaced wholesale on disk', () => {
  it('stops publishing and signing in when office/root.json and the whole policy chain were re-signed under another root', async () => {
    const article = await approved('整体替换');
    const store = new OfficePolicyStore(a.dir, crypto);
    const real = await store.signedVersions();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
    const fakeRoot = { keyId: keyIdOf(raw), personId: a.people.admin!.id, publicKey: raw, privateKey } as UnlockedKey;
    const early = real[0]!.policy.issuedAt;
    const extra = { keyId: fakeRoot.keyId, personId: fakeRoot.personId, publicKey: raw, validFrom: early, revokedAt: null, revokedReason: '' };
    let previous: string | null = null;
    const dir = join(a.dir, 'office', 'policy');
    for (const name of readdirSync(dir)) rmSync(join(dir, name));
    for (const version of real) {
      const policy = { ...version.policy, previous, keys: [...version.policy.keys, extra] };
      const signed = { policy, signature: { keyId: fakeRoot.keyId, value: signBytes(fakeRoot, policySigningText(policy)) } };
      writeFileSync(join(dir, `${String(policy.version).padStart(6, '0')}.json`), `${JSON.stringify(signed, null, 2)}\n`);
      previous = signedPolicyHash(signed, crypto);
    }
    writeFileSync(join(a.dir, 'office', 'root.json'), JSON.stringify({ format: 'gazette/office-root/v1', rootKeyId: fakeRoot.keyId, createdAt: early }));
    // The forged chain verifies from the forged root, so only something outside the folder can tell.
    const view = await a.value('publisher', 'review:get', { id: article.id });
    await expect(a.workspace.review.recordPublish(article.id, a.ctx('publisher'), view.currentHash)).rejects.toThrow(/根密钥/);
    const again = await a.call('publisher', 'session:signIn', { personId: a.people.publisher!.id, password: 'pw-publisher-secret' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!again.ok) expect(again.error.detail).toContain('office/root.json 及办公室策略可能被整体替换');
  });
});

describe('content that changed after approval', () => {
  it('refuses an image swapped on disk after approval', async () => {
    const article = await draft(a, 'writer', '图片稿件', '正文。');
    const { src } = await a.value('writer', 'assets:add', { articleId: article.id, fileName: 'photo.png', mime: 'image/png', dataBase64: PNG_A.toString('base64') });
    const current = await a.value('writer', 'articles:get', { id: article.id });
    const doc = { type: 'doc' as const, content: [...(current.doc.content ?? []), { type: 'image', attrs: { src, alt: '会议现场' } }] };
    await a.value('writer', 'articles:save', { id: article.id, meta: current.meta, doc });
    await a.value('writer', 'review:submit', { id: article.id, note: '' });
    for (const who of ['r1', 'r2']) {
      const view = await a.value(who, 'review:get', { id: article.id });
      await a.value(who, 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
    }
    await expect(a.workspace.signoff.assertPublishable(article.id)).resolves.toBeTruthy();

    writeFileSync(join(a.dir, 'articles', article.id, src), PNG_B);
    const view = await a.value('publisher', 'review:get', { id: article.id });
    expect(view.record.publishable).toBe(false);
    expect(view.record.problems.map((p) => p.code)).toContain('content_unrecorded');
    await expect(a.workspace.signoff.assertPublishable(article.id)).rejects.toThrow(/不能发布/);
  });

  it('refuses a script file slipped into an approved article’s assets', async () => {
    const article = await approved('脚本附件');
    mkdirSync(join(a.dir, 'articles', article.id, 'assets'), { recursive: true });
    writeFileSync(join(a.dir, 'articles', article.id, 'assets', 'x.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expect(a.workspace.signoff.assertPublishable(article.id)).rejects.toThrow(/不能发布/);
    const report = await a.workspace.verifier.verify([{ id: article.id }]);
    expect(report.articles[0]?.problems.join('')).toContain('附件 x.svg 不被接受');
    // Nor would a static build copy it: the page would find the file missing, never serve the script.
    const read = a.workspace.publish.staticPublisher.assetSource('main');
    expect(read(article.id, 'assets/x.svg')).toBeNull();
  });
});

describe('packages', () => {
  let c: Office;

  beforeEach(async () => {
    c = await joinOffice(a, ['admin', 'r1', 'publisher']);
  });

  afterEach(async () => {
    await c.close();
  });

  async function packageOf(office: Office, article: Article, record: unknown[], exporter: string, assets: PackageArticle['assets'] = []) {
    const key = keyOf(office, exporter);
    return buildPackage([{ article, record, revisions: [], assets }], await policyVersions(office), { key, name: exporter }, new Date().toISOString());
  }

  it('refuses a package whose article the writer approved with their own key, and changes nothing', async () => {
    const article = await submitted('自审自批');
    const view = await a.value('writer', 'review:get', { id: article.id });
    const entries = readRecord(a, article.id);
    const writerKey = signerOf(keyOf(a, 'writer'));
    const first = forgeEntry(entries, article.id, approveEvent(a.people.writer!.id, 'first', view.currentHash, false), writerKey);
    const second = forgeEntry([...entries, first], article.id, approveEvent(a.people.writer!.id, 'final', view.currentHash, true), writerKey);
    const current = await a.value('writer', 'articles:get', { id: article.id });
    const bytes = await packageOf(a, { ...current, status: 'approved' }, [...entries, first, second], 'writer');

    const before = snapshot(c.dir);
    const result = await c.value('admin', 'package:import', { dataBase64: Buffer.from(bytes).toString('base64') });
    expect(result).toMatchObject({ ok: false, errorCode: 'record' });
    expect(result.error).toContain('自审自批');
    expect(snapshot(c.dir)).toEqual(before);
  });

  it('refuses an old package of an article reopened here since, and of one purged here', async () => {
    const article = await approved('旧包重放');
    const old = await c.value('admin', 'package:import', {
      dataBase64: Buffer.from(await packageOf(a, await a.value('r2', 'articles:get', { id: article.id }), readRecord(a, article.id), 'r2')).toString('base64'),
    });
    expect(old.items[0]?.outcome).toBe('created');
    const oldPackage = Buffer.from(await packageOf(a, await a.value('r2', 'articles:get', { id: article.id }), readRecord(a, article.id), 'r2')).toString('base64');

    // On C a reviewer comments (a signed act): C's record is now longer than the package's.
    await c.value('r1', 'review:comment', { id: article.id, body: '发布前请再核对日期。' });
    const before = snapshot(c.dir);
    const stale = await c.value('admin', 'package:import', { dataBase64: oldPackage });
    expect(stale).toMatchObject({ ok: false, errorCode: 'stale' });
    expect(stale.error).toContain('旧的传输包');
    expect(snapshot(c.dir)).toEqual(before);

    // Purged on C: its tombstone keeps the package from bringing it back.
    await c.value('admin', 'articles:trash', { id: article.id });
    await c.value('admin', 'articles:purge', { id: article.id });
    const afterPurge = snapshot(c.dir);
    const purged = await c.value('admin', 'package:import', { dataBase64: oldPackage });
    expect(purged).toMatchObject({ ok: false, errorCode: 'purged' });
    expect(snapshot(c.dir)).toEqual(afterPurge);
    const tombstone = JSON.parse(readFileSync(join(c.dir, 'tombstones', `${article.id}.json`), 'utf8'));
    expect(tombstone).toMatchObject({ articleId: article.id, purgedBy: c.people.admin!.id });
    // The writer's draft, the submission, two approvals and C's comment: the trail outlives the text.
    expect(tombstone.record.split('\n').filter(Boolean).map((line: string) => JSON.parse(line).event.type)).toEqual(['edit', 'submit', 'approve', 'approve', 'comment']);
  });

  it('refuses a package that carries an HTML or script file as an asset', async () => {
    const article = await draft(a, 'writer', '夹带脚本', '正文。');
    const current = await a.value('writer', 'articles:get', { id: article.id });
    const bytes = await packageOf(a, current, [], 'writer', [
      { name: 'x.html', bytes: new TextEncoder().encode('<script>alert(1)</script>'), mediaType: 'text/html' },
    ]);
    const before = snapshot(c.dir);
    const result = await c.value('admin', 'package:import', { dataBase64: Buffer.from(bytes).toString('base64') });
    expect(result).toMatchObject({ ok: false, errorCode: 'asset' });
    expect(snapshot(c.dir)).toEqual(before);
  });
});

function approveEvent(actorId: string, stageId: string, contentHash: string, final: boolean): SignedEvent {
  return { type: 'approve', at: new Date().toISOString(), actorId, contentHash, stageId, opinion: '同意', final, signature: null };
}

async function reopen(dir: string): Promise<Office> {
  const { openWorkspace } = await import('../../../node/services');
  const { TEST_SCRYPT, passwordOf } = await import('../../support/review-api');
  const workspace = await openWorkspace(dir, { scrypt: TEST_SCRYPT });
  const office: Office = {
    ...a,
    workspace,
    close: async () => {
      await workspace.close();
      rmSync(dir, { recursive: true, force: true });
    },
    ctx: (who) => ({ transport: 'http', sessionId: `http:${who}:reopened` }),
    call: (who, channel, payload) => workspace.dispatch(channel, payload, office.ctx(who)),
    value: async (who, channel, payload) => {
      const envelope = await office.call(who, channel, payload);
      if (!envelope.ok) throw new Error(`${who} ${channel}: ${envelope.error.code} ${envelope.error.detail}`);
      return envelope.value as never;
    },
  };
  for (const who of ['publisher', 'writer']) {
    await office.value(who, 'session:signIn', { personId: a.people[who]!.id, password: passwordOf(who) });
  }
  return office;
}
