import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyPair,
  passwordProtector,
  type ScryptParams,
  signBytes,
  type UnlockedKey,
  unlockKeyPair,
} from '../../../node/services/identity/keys';
import { nodeRecordCrypto as crypto } from '../../../node/services/record/crypto';
import {
  buildPackage,
  type PackageArticle,
  PackageError,
  type PackageErrorCode,
  type PackageOffice,
  packagedContentHash,
  verifyPackage,
} from '../../../node/services/transfer/package';
import { type Article, ArticleMetaSchema, ArticleSchema, newArticle, type Revision } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { entrySigningText, nextEntry, type RecordEntry, type SignedEvent, signedEntry } from '../../../shared/record/entry';
import type { SignedPolicy } from '../../../shared/record/policy';
import { type RecordProblem, recordProblem } from '../../../shared/record/problems';
import { canonicalJson, shortHash } from '../../../shared/workflow/canonical';
import { at, newSigner, office, person, type Signer, signText } from '../../support/record-office';

/*
 * The transfer package, format 2: the office policy chain and each article's
 * signed record travel with the content, and the importer believes only what
 * verifies from its own office's root key. The exporter's signature proves the
 * file arrived as it was written; it proves nothing about the approvals, so the
 * dishonest-exporter cases re-sign everything with a key the policy lists.
 */

const FAST: ScryptParams = { N: 2 ** 12, r: 8, p: 1 };
const CREATED = at(60);
const ASSET = 'a1b2c3d4e5f6a7b8c9d0.png';
const TITLE_1 = '区委召开常委会会议';
const TITLE_2 = '关于做好防汛工作的通知';

let o: ReturnType<typeof office>;
/** The admin's key as the app holds it: the package is signed with it. */
let adminKey: UnlockedKey;
let writerKey: UnlockedKey;
/** The policy this workstation has: version 1 only. */
let v1: SignedPolicy[];
let inputs: PackageArticle[];
let clean: Uint8Array;

async function unlockedKey(personId: string): Promise<UnlockedKey> {
  const protector = passwordProtector(`${personId}-密码`, FAST);
  return unlockKeyPair(await createKeyPair(personId, protector, at(0)), protector);
}

/** This workstation's office; a copy, so nothing a verification does can reach the fixtures. */
const here = (policy: readonly SignedPolicy[] = v1, rootKeyId = o.admin.keyId): PackageOffice => ({
  rootKeyId,
  policy: structuredClone(policy),
  crypto,
});

/** A policy version on top of the current chain, taken out again so the office itself stays at version 1. */
function proposedVersion(change: Parameters<typeof o.amend>[0], by: Signer = o.admin): SignedPolicy {
  const signed = o.amend(change, by);
  o.chain.pop();
  return signed;
}

// ───────────── records ─────────────

/** An event as a test writes it: the actor defaults to the signer. */
type EventInput = SignedEvent extends infer E ? (E extends SignedEvent ? Omit<E, 'actorId'> & { actorId?: string } : never) : never;

/** Appends an entry signed by `signer` (whoever the event names as actor). */
function append(entries: RecordEntry[], articleId: string, signer: Signer, event: EventInput): RecordEntry[] {
  const unsigned = nextEntry(articleId, entries.at(-1) ?? null, 1, { actorId: signer.person.id, ...event } as SignedEvent, crypto);
  return [...entries, signedEntry(unsigned, { keyId: signer.keyId, value: signText(signer, entrySigningText(unsigned)) })];
}

const submitted = (articleId: string, hash: string) =>
  append([], articleId, o.writer, { type: 'submit', at: at(10), contentHash: hash, stageId: 'first', note: '请审核' });

const approval = (stageId: string, minute: number, hash: string, final = false): EventInput => ({
  type: 'approve',
  at: at(minute),
  contentHash: hash,
  stageId,
  opinion: '同意',
  final,
  signature: null,
});

/** The office's usual path: the writer submits, the three reviewers approve in turn. */
function approvedRecord(articleId: string, hash: string): RecordEntry[] {
  let entries = submitted(articleId, hash);
  entries = append(entries, articleId, o.r1, approval('first', 11, hash));
  entries = append(entries, articleId, o.r2, approval('second', 12, hash));
  return append(entries, articleId, o.r3, approval('final', 13, hash, true));
}

// ───────────── articles ─────────────

function makeArticle(id: string, title: string, text: string): Article {
  const meta = ArticleMetaSchema.parse({ title, column: ['首页', '要闻动态', '政务要闻'], source: '区委办公室', publishAt: '2021-05-20' });
  const doc: Doc = {
    type: 'doc',
    content: [paragraph(text), { type: 'image', attrs: { src: `asset:${ASSET}`, caption: '会议现场' } }],
  };
  // As the store hands it over: parsed, defaults filled in.
  return ArticleSchema.parse({ ...newArticle(id, at(5), meta, doc), status: 'approved' });
}

const image = (bytes = randomBytes(3000)) => ({ name: ASSET, bytes: new Uint8Array(bytes), mediaType: 'image/png' });

async function approvedArticle(article: Article, assets: PackageArticle['assets']): Promise<PackageArticle> {
  const hash = await packagedContentHash(article, assets);
  const revision: Revision = { id: 'lq0x1a2b3-AbCdEfGh', articleId: article.id, name: '提交审核', createdAt: at(10), meta: article.meta, doc: article.doc };
  return { article, record: approvedRecord(article.id, hash), revisions: [revision], assets };
}

/** A package as the exporter builds it: `items` as given, the admin's key unless said otherwise. */
const packageOf = (items: PackageArticle[], policy: readonly SignedPolicy[] = v1, key: UnlockedKey = adminKey, createdAt = CREATED) =>
  buildPackage(items, policy, { key, name: personName(key.personId) }, createdAt);

const personName = (id: string) => o.chain[0]!.policy.people.find((p) => p.id === id)?.name ?? id;

/** The first article of the clean package with its record replaced. */
function withRecord(record: unknown[], item: PackageArticle = inputs[0]!): PackageArticle {
  return { ...structuredClone(item), record };
}

beforeAll(async () => {
  adminKey = await unlockedKey('admin');
  writerKey = await unlockedKey('writer');
  o = office({ admin: adminKey, writer: writerKey });
  v1 = structuredClone(o.chain);
  inputs = [
    await approvedArticle(makeArticle('article-0001', TITLE_1, '5月20日上午，区委召开常委会会议，共计150余人参加。'), [image()]),
    await approvedArticle(makeArticle('article-0002', TITLE_2, '各街道、各部门：为做好今年防汛工作……'), []),
  ];
  clean = await packageOf(inputs);
});

// ───────────── helpers to tamper with a package ─────────────

type PackageJson = {
  format: string;
  version: number;
  manifest: {
    articles: { id: string; title: string; contentHash: string }[];
    entries: { path: string; kind: string; articleId: string; size: number; sha256: string }[];
  };
  entries: Record<string, string>;
  signature: { keyId: string; value: string };
};
const parse = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8')) as PackageJson;
const serialize = (json: PackageJson) => new Uint8Array(Buffer.from(JSON.stringify(json), 'utf8'));

/** What a dishonest exporter does after editing the manifest: signs it again with their own valid key. */
function resigned(json: PackageJson, key: UnlockedKey = adminKey): Uint8Array {
  const { format, version, manifest } = json;
  json.signature = { keyId: key.keyId, value: signBytes(key, canonicalJson({ format, version, manifest })) };
  return serialize(json);
}

/** Changes one byte of one entry's decoded content without touching the manifest. */
function flipInEntry(bytes: Uint8Array, pathEnd: string, locate: (data: Buffer) => number): Uint8Array {
  const json = parse(bytes);
  const path = Object.keys(json.entries).find((p) => p.endsWith(pathEnd))!;
  const data = Buffer.from(json.entries[path]!, 'base64');
  const index = locate(data);
  expect(index).toBeGreaterThanOrEqual(0);
  data[index] = data[index]! ^ 0x01;
  json.entries[path] = data.toString('base64');
  return serialize(json);
}

/** Moves an entry to another path (bytes and manifest line alike). */
function moveEntry(json: PackageJson, from: string, to: string, kind?: string): PackageJson {
  json.entries[to] = json.entries[from]!;
  delete json.entries[from];
  const line = json.manifest.entries.find((e) => e.path === from)!;
  line.path = to;
  if (kind) line.kind = kind;
  return json;
}

async function expectRefused(bytes: Uint8Array, code: PackageErrorCode, office: PackageOffice = here()) {
  const result = await verifyPackage(bytes, office);
  if (result.ok) throw new Error(`the package was accepted; expected ${code}`);
  expect(result.error).toBeInstanceOf(PackageError);
  expect(result.error.code).toBe(code);
  expect(result.error.message).toMatch(/[\u4e00-\u9fff]/);
  return result;
}

/**
 * A package that passes every package-level check (its exporter's signature
 * and every digest) and is refused for its article's record, naming the problem.
 */
async function expectRecordRefused(item: PackageArticle, problem: RecordProblem | RegExp) {
  const result = await expectRefused(await packageOf([item]), 'record');
  expect(result.checks).toContain('传输包签名有效');
  expect(result.error.message).toContain(item.article.meta.title);
  if (problem instanceof RegExp) expect(String(result.error.params.detail)).toMatch(problem);
  else expect(result.error.params.detail).toBe(problem.message);
  return result;
}

const sameAssets = (assets: PackageArticle['assets']) => assets.map((a) => [a.name, Buffer.from(a.bytes).toString('hex'), a.mediaType]);

// ───────────── tests ─────────────

describe('a clean package', () => {
  it('arrives with every article, record, revision and asset intact, approved and publishable', async () => {
    // The other workstation knows the office policy (as JSON on its disk) and nothing else.
    const elsewhere = here(JSON.parse(JSON.stringify(v1)) as SignedPolicy[]);
    const result = await verifyPackage(new Uint8Array(Buffer.from(Buffer.from(clean).toString('utf8'))), elsewhere);
    if (!result.ok) throw result.error;
    expect(result.package.exporter).toEqual({ personId: 'admin', name: '管理员', keyId: adminKey.keyId });
    expect(result.package.createdAt).toBe(CREATED);
    expect(result.package.newPolicy).toEqual([]);
    expect(result.package.articles).toHaveLength(2);
    for (const [i, received] of result.package.articles.entries()) {
      const sent = inputs[i]!;
      expect(received.article).toEqual(sent.article);
      expect(received.record).toEqual(JSON.parse(JSON.stringify(sent.record)));
      expect(received.revisions).toEqual(sent.revisions);
      expect(sameAssets(received.assets)).toEqual(sameAssets(sent.assets));
      expect(received.contentHash).toBe(await packagedContentHash(sent.article, sent.assets));
      expect(received.verdict.publishable).toBe(true);
      expect(received.verdict.state.status).toBe('approved');
      expect(received.verdict.state.approvals.map((a) => [a.personId, a.contentHash])).toEqual(
        ['r1', 'r2', 'r3'].map((id) => [id, received.contentHash]),
      );
    }
  });

  it('says what was checked, in Chinese, one line per approval', async () => {
    const result = await verifyPackage(clean, here());
    if (!result.ok) throw result.error;
    const [first, second] = result.package.articles;
    expect(result.checks).toEqual([
      '文件格式：Gazette 传输包，格式版本 2',
      '办公室策略：第 1–1 版均由本办公室的管理员签名，验证通过',
      `导出人：管理员（密钥 ${adminKey.keyId}），导出时有效`,
      '传输包签名有效',
      // The policy version, two articles with their record and revision, one image.
      '8 个文件的 SHA-256 摘要全部相符',
      `文稿“${TITLE_1}”：内容摘要 ${shortHash(first!.contentHash)}（含 1 个附件）`,
      `文稿“${TITLE_1}”：4 条签名审核记录全部验证通过，状态：已审核`,
      `文稿“${TITLE_1}”：“初审”由 李初审 审核，签名有效，摘要相符`,
      `文稿“${TITLE_1}”：“复审”由 王复审 审核，签名有效，摘要相符`,
      `文稿“${TITLE_1}”：“终审”由 赵终审 审核，签名有效，摘要相符`,
      `文稿“${TITLE_2}”：内容摘要 ${shortHash(second!.contentHash)}（含 0 个附件）`,
      `文稿“${TITLE_2}”：4 条签名审核记录全部验证通过，状态：已审核`,
      `文稿“${TITLE_2}”：“初审”由 李初审 审核，签名有效，摘要相符`,
      `文稿“${TITLE_2}”：“复审”由 王复审 审核，签名有效，摘要相符`,
      `文稿“${TITLE_2}”：“终审”由 赵终审 审核，签名有效，摘要相符`,
    ]);
  });

  it('carries an article still in review, which is not publishable and lists no approvals', async () => {
    const item = withRecord(submitted('article-0001', await packagedContentHash(inputs[0]!.article, inputs[0]!.assets)));
    const result = await verifyPackage(await packageOf([item]), here());
    if (!result.ok) throw result.error;
    const [received] = result.package.articles;
    expect(received!.verdict.state.status).toBe('in_review');
    expect(received!.verdict.publishable).toBe(false);
    expect(result.checks).toContain(`文稿“${TITLE_1}”：1 条签名审核记录全部验证通过，状态：审核中`);
    expect(result.checks.filter((line) => line.includes('审核，签名有效'))).toEqual([]);
  });

  it('brings newer policy versions an administrator signed, and judges the package by them', async () => {
    // Issued after every entry of the packaged records: those were signed under version 1 while it was in force.
    const v2 = proposedVersion((p) => ({ ...p, issuedAt: at(100), note: '新增人员', people: [...p.people, person('r4', '孙初审', ['reviewer'])] }));
    const result = await verifyPackage(await packageOf(inputs, [...v1, v2]), here());
    if (!result.ok) throw result.error;
    expect(result.package.newPolicy).toEqual([v2]);
    expect(result.package.policy.latest.version).toBe(2);
    expect(result.checks).toContain('办公室策略：第 1–2 版均由本办公室的管理员签名，验证通过');
  });
});

describe('bad input', () => {
  it('recognises files that are not packages at all, empty JSON included', async () => {
    const notPackages = [
      '',
      '{}',
      '[]',
      'null',
      '{"hello":"world"}',
      '\x89PNG\r\n\x1a\n....',
      '<!doctype html><title>区委召开常委会会议</title>',
      JSON.stringify(v1),
      ' {"format":"gazette/package","version":2}',
    ].map((text) => new Uint8Array(Buffer.from(text, 'utf8')));
    for (const bytes of [...notPackages, new Uint8Array(randomBytes(500))]) {
      const result = await expectRefused(bytes, 'not_a_package');
      expect(result.error.message).toBe('这不是 Gazette 传输包文件');
      expect(result.checks).toEqual([]);
    }
  });

  it('reports a truncated package as truncated', async () => {
    for (const length of [clean.length - 1, clean.length - 30, Math.floor(clean.length / 2), 60]) {
      const result = await expectRefused(clean.slice(0, length), 'truncated');
      expect(result.error.message).toContain('不完整');
    }
  });

  it('asks for an update for a package from a future format version', async () => {
    const text = Buffer.from(clean).toString('utf8').replace('"version":2,', '"version":3,');
    const result = await expectRefused(new Uint8Array(Buffer.from(text)), 'future_version');
    expect(result.error.message).toContain('格式版本为 3');
    expect(result.error.message).toContain('升级');
  });

  it('refuses a format 1 package (review state without a signed record) and says to export it again', async () => {
    const v1Package = '{"format":"gazette/package","version":1,"manifest":{},"entries":{},"signature":{},"end":"gazette/package-end"}';
    const result = await expectRefused(new Uint8Array(Buffer.from(v1Package)), 'old_version');
    expect(result.error.message).toContain('格式版本 1');
    expect(result.error.message).toContain('重新导出');
  });

  it('refuses a package whose exporter has no key in this office', async () => {
    const outsider = await unlockedKey('admin');
    const result = await expectRefused(await packageOf(inputs, v1, outsider), 'unknown_exporter');
    expect(result.error.message).toContain(outsider.keyId);
  });

  describe('an exporter whose key the office revoked (a revoked person’s unsynced work leaving their desktop)', () => {
    const revokedAt = at(30);
    const v2 = () =>
      proposedVersion((p) => ({
        ...p,
        issuedAt: revokedAt,
        note: '离职交接',
        keys: p.keys.map((k) => (k.personId === 'writer' ? { ...k, revokedAt, revokedReason: '离职交接' } : k)),
      }));

    it('brings what was signed while the key was valid, says the key is revoked, and leaves the unsigned history behind', async () => {
      const policy = [...v1, v2()];
      const result = await verifyPackage(await packageOf(inputs, policy, writerKey, at(40)), here(policy));
      if (!result.ok) throw new Error(result.error.message);
      expect(result.package.articles.map((a) => a.verdict.publishable)).toEqual([true, true]);
      expect(result.package.articles.every((a) => a.revisions.length === 0)).toBe(true);
      expect(result.checks.join('\n')).toContain('吊销（离职交接）');
      expect(result.checks.join('\n')).not.toContain('导出时有效');
    });

    it('refuses text nobody signed while the key was valid, naming the article, the revocation and its reason', async () => {
      const policy = [...v1, v2()];
      const draft: PackageArticle = { article: makeArticle('article-0009', '吊销后写的稿件', '未提交的草稿。'), record: [], revisions: [], assets: [] };
      const result = await expectRefused(await packageOf([inputs[1]!, draft], policy, writerKey, at(40)), 'exporter_revoked', here(policy));
      expect(result.error.message).toContain('吊销后写的稿件');
      expect(result.error.message).toContain('离职交接');
    });

    it('takes no claimed export time on trust: a package dated before the revocation is judged the same', async () => {
      const policy = [...v1, v2()];
      const draft: PackageArticle = { article: makeArticle('article-0009', '倒签日期的稿件', '未提交的草稿。'), record: [], revisions: [], assets: [] };
      await expectRefused(await packageOf([draft], policy, writerKey, at(20)), 'exporter_revoked', here(policy));
      // The same package is fine where the revocation is not known: the key was valid then, as far as that office knows.
      expect((await verifyPackage(await packageOf([draft], v1, writerKey, at(20)), here(v1))).ok).toBe(true);
    });
  });

  it('never throws, whatever it is given', async () => {
    const header = '{"format":"gazette/package","version":2,';
    const trailer = '"end":"gazette/package-end"}';
    const inputsToTry: Uint8Array[] = [
      new Uint8Array(Buffer.from(`${header}${trailer}`)),
      new Uint8Array(Buffer.from(`${header}"manifest":null,"entries":{},"signature":{"keyId":"x","value":"y"},${trailer}`)),
      new Uint8Array(Buffer.from(`{"format":"gazette/package","version":99999999999,${trailer}`)),
      new Uint8Array(Buffer.from(`{"format":"gazette/package","version":-1,${trailer}`)),
    ];
    for (let i = 0; i < 100; i++) {
      const noise = randomBytes(1 + (i % 50) * 20);
      inputsToTry.push(new Uint8Array(Buffer.concat([Buffer.from(header), noise, Buffer.from(trailer)])));
      inputsToTry.push(new Uint8Array(Buffer.concat([Buffer.from(header), noise])));
      // Noise over a real package: every byte it lands on changes (XOR with a non-zero byte).
      const garbled = Buffer.from(clean);
      const start = (i * 7919) % garbled.length;
      noise.forEach((byte, k) => {
        if (start + k < garbled.length) garbled[start + k] = garbled[start + k]! ^ (byte | 1);
      });
      inputsToTry.push(new Uint8Array(garbled));
    }
    for (const bytes of inputsToTry) {
      const result = await verifyPackage(bytes, here());
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toBeInstanceOf(PackageError);
    }
  });
});

describe('tampering', () => {
  it('catches one flipped byte in the article text', async () => {
    const tampered = flipInEntry(clean, 'article-0001/article.json', (d) => d.indexOf(Buffer.from('150余人')));
    const result = await expectRefused(tampered, 'entry_digest_mismatch');
    expect(result.error.message).toContain('正文与文稿信息');
    expect(result.error.message).toContain('article-0001/article.json');
  });

  it('catches one flipped byte in the metadata', async () => {
    const tampered = flipInEntry(clean, 'article-0002/article.json', (d) => d.indexOf(Buffer.from('区委办公室')));
    await expectRefused(tampered, 'entry_digest_mismatch');
  });

  it('catches one flipped byte in an asset', async () => {
    const tampered = flipInEntry(clean, '.png', (d) => d.length - 1);
    const result = await expectRefused(tampered, 'entry_digest_mismatch');
    expect(result.error.message).toContain('附件或图片');
  });

  it('catches one flipped byte in a record line', async () => {
    const tampered = flipInEntry(clean, 'article-0001/record.jsonl', (d) => d.indexOf(Buffer.from('"opinion":"')) + 12);
    const result = await expectRefused(tampered, 'entry_digest_mismatch');
    expect(result.error.message).toContain('签名审核记录');
  });

  it('catches one flipped byte in the office policy', async () => {
    const tampered = flipInEntry(clean, '000001.json', (d) => d.indexOf(Buffer.from('"reviewer"')) + 2);
    const result = await expectRefused(tampered, 'entry_digest_mismatch');
    expect(result.error.message).toContain('办公室策略');
  });

  it('catches one flipped byte in the package signature', async () => {
    const json = parse(clean);
    const signature = Buffer.from(json.signature.value, 'base64');
    signature[10] = signature[10]! ^ 0x80;
    json.signature.value = signature.toString('base64');
    await expectRefused(serialize(json), 'bad_package_signature');
  });

  it('catches a digest rewritten in the manifest', async () => {
    const json = parse(clean);
    json.manifest.entries[0]!.sha256 = '0'.repeat(64);
    await expectRefused(serialize(json), 'entry_digest_mismatch');
  });

  it('catches changed text whose digest and size were rewritten to match (covered by the package signature)', async () => {
    const json = parse(clean);
    const path = 'articles/article-0001/article.json';
    const data = Buffer.from(Buffer.from(json.entries[path]!, 'base64').toString('utf8').replace('150余人', '1500余人'), 'utf8');
    json.entries[path] = data.toString('base64');
    const line = json.manifest.entries.find((e) => e.path === path)!;
    line.sha256 = createHash('sha256').update(data).digest('hex');
    line.size = data.length;
    await expectRefused(serialize(json), 'bad_package_signature');
  });

  it('catches a removed file and a slipped-in file', async () => {
    const removed = parse(clean);
    delete removed.entries[Object.keys(removed.entries).find((p) => p.endsWith('.png'))!];
    await expectRefused(serialize(removed), 'missing_entry');
    const added = parse(clean);
    added.entries['articles/article-0001/assets/extra.png'] = Buffer.from('x').toString('base64');
    await expectRefused(serialize(added), 'unexpected_entry');
  });

  it('catches a content hash rewritten in the manifest even when the exporter signs again', async () => {
    const json = parse(clean);
    json.manifest.articles[0]!.contentHash = 'f'.repeat(64);
    const result = await expectRefused(resigned(json), 'content_hash_mismatch');
    expect(result.error.message).toContain(TITLE_1);
  });

  it('refuses every one of hundreds of single-byte flips anywhere in the file', async () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const positions = new Set<number>();
    const manifestEnd = Buffer.from(clean).indexOf('"entries":{');
    while (positions.size < 300) positions.add(Math.floor(next() * clean.length));
    while (positions.size < 450) positions.add(Math.floor(next() * manifestEnd));
    const office = here();
    const accepted: number[] = [];
    for (const position of positions) {
      const tampered = clean.slice();
      tampered[position] = tampered[position]! ^ (1 << Math.floor(next() * 8));
      const result = await verifyPackage(tampered, office);
      if (result.ok) accepted.push(position);
    }
    expect(accepted).toEqual([]);
  });
});

describe('a dishonest exporter, who signs the whole package with their own valid key', () => {
  const record = () => structuredClone(inputs[0]!.record) as RecordEntry[];
  const hash = () => packagedContentHash(inputs[0]!.article, inputs[0]!.assets);

  it('cannot change an opinion after it was signed', async () => {
    const entries = record();
    (entries[2]!.event as { opinion: string }).opinion = '同意（已核实）';
    await expectRecordRefused(withRecord(entries), recordProblem('signature_invalid', { seq: 2 }));
  });

  it('cannot delete an entry from the middle', async () => {
    const entries = record();
    entries.splice(2, 1);
    await expectRecordRefused(withRecord(entries), recordProblem('entry_out_of_order', { seq: 2, found: 3 }));
  });

  it('cannot delete an entry and renumber the rest: the chain is broken', async () => {
    const entries = record();
    entries.splice(2, 1);
    entries[2]!.seq = 2;
    await expectRecordRefused(withRecord(entries), recordProblem('entry_chain_broken', { seq: 2 }));
  });

  it('cannot reorder entries', async () => {
    const entries = record();
    [entries[1], entries[2]] = [entries[2]!, entries[1]!];
    await expectRecordRefused(withRecord(entries), recordProblem('entry_out_of_order', { seq: 1, found: 2 }));
  });

  it('can withhold the last approvals, and then the article is only in review', async () => {
    const result = await verifyPackage(await packageOf([withRecord(record().slice(0, 3))]), here());
    if (!result.ok) throw result.error;
    const [received] = result.package.articles;
    expect(received!.verdict.state.status).toBe('in_review');
    expect(received!.verdict.publishable).toBe(false);
    expect(result.checks.some((line) => line.includes('终审'))).toBe(false);
  });

  it('cannot add an approval signed by a key that is not in the office policy', async () => {
    const rogue = newSigner(o.r3.person);
    const entries = append(record().slice(0, 3), 'article-0001', rogue, approval('final', 13, await hash(), true));
    await expectRecordRefused(withRecord(entries), recordProblem('key_unknown', { seq: 3, keyId: rogue.keyId }));
  });

  it('cannot sign one reviewer’s approval with another reviewer’s key', async () => {
    const entries = append(record().slice(0, 3), 'article-0001', o.r2, { ...approval('final', 13, await hash(), true), actorId: 'r3' });
    await expectRecordRefused(withRecord(entries), recordProblem('key_not_actor', { seq: 3, actor: '赵终审', owner: '王复审' }));
  });

  it('cannot pass an unsigned approval', async () => {
    const entries = record();
    delete (entries[3] as Partial<RecordEntry>).signature;
    await expectRecordRefused(withRecord(entries), recordProblem('signature_missing', { seq: 3 }));
  });

  it('cannot add a field to a signed entry', async () => {
    const entries = record() as unknown[];
    entries[3] = { ...(entries[3] as RecordEntry), status: 'approved' };
    await expectRecordRefused(withRecord(entries), recordProblem('entry_unsigned_fields', { seq: 3 }));
  });

  it('cannot move an approved record onto another article', async () => {
    const moved = { ...structuredClone(inputs[1]!), record: record() };
    await expectRecordRefused(moved, recordProblem('entry_wrong_article', { seq: 0, articleId: 'article-0001' }));
  });

  it('cannot have the writer approve their own article', async () => {
    const entries = append(submitted('article-0001', await hash()), 'article-0001', o.writer, approval('first', 11, await hash()));
    await expectRecordRefused(withRecord(entries), /^第 1 条审核记录按当时的规则不成立：/);
  });

  it('cannot have someone without the reviewer role approve a stage', async () => {
    const entries = append(submitted('article-0001', await hash()), 'article-0001', o.publisher, approval('first', 11, await hash()));
    await expectRecordRefused(withRecord(entries), /^第 1 条审核记录按当时的规则不成立：/);
  });

  it('cannot swap an image after approval: the recomputed hash is not the approved one', async () => {
    const item = withRecord(record());
    item.assets = [image()];
    // buildPackage recomputes the manifest's hash, so every package-level check passes;
    // the record's last signed hash is the old image's, and the article is locked.
    expect(await packagedContentHash(item.article, item.assets)).not.toBe(await hash());
    await expectRecordRefused(item, recordProblem('content_unrecorded'));
  });

  it('cannot change the text after approval', async () => {
    const item = withRecord(record());
    item.article.meta.title = '区委召开常委会（扩大）会议';
    await expectRecordRefused(item, recordProblem('content_unrecorded'));
  });

  it('cannot slip in a policy version signed by someone who is not an administrator', async () => {
    const forged = proposedVersion(
      (p) => ({ ...p, issuedAt: at(1), people: p.people.map((x) => (x.id === 'writer' ? { ...x, roles: ['writer', 'reviewer', 'admin'] } : x)) }),
      o.writer,
    );
    const result = await expectRefused(await packageOf(inputs, [...v1, forged]), 'policy');
    expect(result.error.params.detail).toBe(recordProblem('policy_signer_not_admin', { version: 2, signer: '张撰稿' }).message);
  });

  it('cannot bring a package from another office, however consistent in itself', async () => {
    const otherAdmin = await unlockedKey('admin');
    const other = office({ admin: otherAdmin });
    const result = await expectRefused(await packageOf(inputs, other.chain, otherAdmin), 'foreign_office');
    expect(result.error.message).toContain('另一个办公室');
  });

  it('cannot replace a policy version this workstation already has', async () => {
    const ours = proposedVersion((p) => ({ ...p, issuedAt: at(1), note: '本机：新增初审' }));
    const theirs = proposedVersion((p) => ({ ...p, issuedAt: at(1), note: '另一台：新增初审' }));
    const result = await expectRefused(await packageOf(inputs, [...v1, theirs]), 'policy_diverged', here([...v1, ours]));
    expect(result.error.params.version).toBe(2);
  });
});

describe('file names and places', () => {
  it('refuses to build a package with an unsafe file name', async () => {
    for (const name of ['../../etc/passwd', '..', '.', '', 'x'.repeat(129), '会议现场.png', 'a b.png', 'a\\b.png']) {
      const item = structuredClone(inputs[0]!);
      item.assets[0]!.name = name;
      await expect(packageOf([item]), name).rejects.toMatchObject({ code: 'unsafe_path' });
    }
    for (const id of ['..', '../../etc', '']) {
      const item = structuredClone(inputs[1]!);
      item.article.id = id;
      await expect(packageOf([item]), id).rejects.toMatchObject({ code: 'unsafe_path' });
    }
  });

  it('refuses to build a package with two assets of the same name', async () => {
    const item = structuredClone(inputs[0]!);
    item.assets.push(image());
    await expect(packageOf([item])).rejects.toMatchObject({ code: 'unsafe_path' });
  });

  it('reads policy versions only at office/policy/NNNNNN.json, and nothing else there', async () => {
    const policyPath = 'office/policy/000001.json';
    const outside = moveEntry(parse(clean), policyPath, 'articles/article-0001/policy.json');
    await expectRefused(resigned(outside), 'unsafe_path');

    const asAsset = moveEntry(parse(clean), 'articles/article-0001/assets/a1b2c3d4e5f6a7b8c9d0.png', 'office/policy/000002.json');
    await expectRefused(resigned(asAsset), 'unsafe_path');

    const misfiled = parse(clean);
    moveEntry(misfiled, policyPath, 'office/policy/000002.json');
    const result = await expectRefused(resigned(misfiled), 'bad_entry');
    expect(result.error.message).toContain('office/policy/000002.json');
  });
});
