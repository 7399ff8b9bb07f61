import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyPair,
  exportTrustedKeys,
  parseTrustedKeys,
  passwordProtector,
  type ScryptParams,
  signApproval,
  type StoredKeyPair,
  type TrustedKey,
  trustedKeyFor,
  type UnlockedKey,
  unlockKeyPair,
} from '../../../node/services/identity/keys';
import {
  buildPackage,
  type PackageArticle,
  type PackageErrorCode,
  PackageError,
  verifyPackage,
} from '../../../node/services/transfer/package';
import { type Article, ArticleMetaSchema, newArticle, type Revision } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { contentHash } from '../../../shared/workflow/canonical';
import {
  approve,
  currentStage,
  defaultReviewChain,
  initialReviewState,
  type Person,
  PersonSchema,
  type ReviewEvent,
  type ReviewState,
  submit,
} from '../../../shared/workflow/review-chain';

const FAST: ScryptParams = { N: 2 ** 12, r: 8, p: 1 };
const NOW = '2024-03-01T09:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(NOW) + minute * 60_000).toISOString();
const chain = defaultReviewChain();

const people: Record<string, Person> = Object.fromEntries(
  [
    ['w1', '王撰稿', ['writer']],
    ['r1', '钱初审', ['reviewer']],
    ['r2', '孙复审', ['reviewer']],
    ['r3', '周终审', ['reviewer']],
    ['a1', '郑管理', ['admin', 'writer']],
  ].map(([id, name, roles]) => [id, PersonSchema.parse({ id, name, roles })]),
);

let dir: string;
const stored: Record<string, StoredKeyPair> = {};
const keys: Record<string, UnlockedKey> = {};
let trusted: TrustedKey[];
let clean: Uint8Array;
let inputs: PackageArticle[];

function makeArticle(id: string, title: string, text: string): Article {
  const meta = ArticleMetaSchema.parse({
    title,
    column: ['首页', '要闻动态', '政务要闻'],
    source: '区委办公室',
    publishAt: '2021-05-20',
  });
  const doc: Doc = {
    type: 'doc',
    content: [paragraph(text), { type: 'image', attrs: { src: 'asset:a1b2c3d4e5f6a7b8c9d0.png', caption: '会议现场' } }],
  };
  return newArticle(id, NOW, meta, doc);
}

/** Runs an article through all three stages, each approval signed by its reviewer. */
async function approvedThroughChain(article: Article): Promise<{ review: ReviewState; events: ReviewEvent[] }> {
  const hash = await contentHash(article.meta, article.doc);
  const events: ReviewEvent[] = [];
  let state = initialReviewState(article.id);
  let result = submit({ ...state, contentHash: hash }, people.w1!, { note: '请审核', chain }, at(1), hash);
  events.push(...result.events);
  state = result.state;
  for (const [i, reviewer] of ['r1', 'r2', 'r3'].entries()) {
    const when = at(2 + i);
    const stage = currentStage(state)!;
    const signature = signApproval(keys[reviewer]!, article.id, {
      personId: reviewer,
      stageId: stage.id,
      at: when,
      opinion: '同意',
      contentHash: hash,
    });
    result = approve(state, people[reviewer]!, { opinion: '同意', signature }, when, hash);
    events.push(...result.events);
    state = result.state;
  }
  expect(state.status).toBe('approved');
  return { review: state, events };
}

async function packageArticle(article: Article, withAsset = true): Promise<PackageArticle> {
  const { review, events } = await approvedThroughChain(article);
  const revision: Revision = { id: 'lq0x1a2b3-AbCdEfGh', articleId: article.id, name: '提交审核', createdAt: at(1), meta: article.meta, doc: article.doc };
  return {
    article: { ...article, status: review.status },
    review,
    events,
    revisions: [revision],
    assets: withAsset ? [{ name: 'a1b2c3d4e5f6a7b8c9d0.png', bytes: new Uint8Array(randomBytes(3000)), mediaType: 'image/png' }] : [],
  };
}

const exporter = () => ({ key: keys.a1!, name: '郑管理' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-package-'));
  for (const id of ['r1', 'r2', 'r3', 'a1', 'rogue']) {
    stored[id] = await createKeyPair(id === 'rogue' ? 'r3' : id, passwordProtector(`${id}-pw`, FAST), NOW);
    keys[id] = await unlockKeyPair(stored[id]!, passwordProtector(`${id}-pw`, FAST));
  }
  trusted = ['r1', 'r2', 'r3', 'a1'].map((id) => trustedKeyFor(stored[id]!, { name: people[id]!.name }, NOW));
  inputs = [
    await packageArticle(makeArticle('article-0001', '区委召开常委会会议', '5月20日上午，区委召开常委会会议，共计150余人参加。')),
    await packageArticle(makeArticle('article-0002', '关于做好防汛工作的通知', '各街道、各部门：为做好今年防汛工作……'), false),
  ];
  clean = await buildPackage(inputs, exporter(), at(10));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// ───────────── helpers to tamper with a package ─────────────

type PackageJson = {
  manifest: { entries: { path: string; size: number; sha256: string }[] };
  entries: Record<string, string>;
  signature: { keyId: string; value: string };
};
const parse = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8')) as PackageJson;
const serialize = (json: PackageJson) => new Uint8Array(Buffer.from(JSON.stringify(json), 'utf8'));

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

async function expectRefused(
  bytes: Uint8Array,
  code: PackageErrorCode,
  list: readonly TrustedKey[] = trusted,
): Promise<{ checks: string[]; error: PackageError }> {
  const result = await verifyPackage(bytes, list);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('the package was accepted');
  expect(result.error).toBeInstanceOf(PackageError);
  expect(result.error.code).toBe(code);
  expect(result.error.message).toMatch(/[\u4e00-\u9fff]/);
  return result;
}

// ───────────── tests ─────────────

describe('a clean package', () => {
  it('round-trips between two separate workspaces with approvals intact and verified', async () => {
    const officeA = join(dir, 'office-a');
    const officeB = join(dir, 'office-b');
    mkdirSync(officeA);
    mkdirSync(officeB);
    writeFileSync(join(officeA, 'export.gazette-package'), clean);
    writeFileSync(join(officeA, 'trusted-keys.json'), exportTrustedKeys(trusted));
    // The other machine receives both files (USB stick) and knows nothing else.
    writeFileSync(join(officeB, 'import.gazette-package'), readFileSync(join(officeA, 'export.gazette-package')));
    const trustedB = parseTrustedKeys(readFileSync(join(officeA, 'trusted-keys.json'), 'utf8'));

    const result = await verifyPackage(readFileSync(join(officeB, 'import.gazette-package')), trustedB);
    if (!result.ok) throw result.error;
    expect(result.package.exporter).toMatchObject({ personId: 'a1', name: '郑管理' });
    expect(result.package.articles).toHaveLength(2);
    result.package.articles.forEach((received, i) => {
      const sent = inputs[i]!;
      expect(received.article).toEqual(sent.article);
      expect(received.review).toEqual(sent.review);
      expect(received.events).toEqual(sent.events);
      expect(received.revisions).toEqual(sent.revisions);
      expect(received.assets.map((a) => [a.name, Buffer.from(a.bytes).toString('hex'), a.mediaType])).toEqual(
        sent.assets.map((a) => [a.name, Buffer.from(a.bytes).toString('hex'), a.mediaType]),
      );
      expect(received.review?.approvals.map((a) => a.contentHash)).toEqual([received.contentHash, received.contentHash, received.contentHash]);
    });
  });

  it('says what was checked, in Chinese', async () => {
    const result = await verifyPackage(clean, trusted);
    expect(result.ok).toBe(true);
    const text = result.checks.join('\n');
    expect(text).toContain('格式版本 1');
    expect(text).toContain('传输包签名有效');
    expect(text).toContain('郑管理');
    expect(result.checks.filter((line) => line.includes('签名有效（公钥'))).toHaveLength(6);
    expect(text).toContain('“区委召开常委会会议”：“终审”由 r3 审核');
  });
});

describe('bad input', () => {
  it('recognises files that are not packages at all', async () => {
    const notPackages = [
      new Uint8Array(),
      new Uint8Array(randomBytes(500)),
      new Uint8Array(Buffer.from('\x89PNG\r\n\x1a\n....')),
      new Uint8Array(Buffer.from('{"hello":"world"}')),
      new Uint8Array(Buffer.from(exportTrustedKeys(trusted))),
      new Uint8Array(Buffer.from('<!doctype html><title>区委召开常委会会议</title>')),
    ];
    for (const bytes of notPackages) {
      const result = await expectRefused(bytes, 'not_a_package');
      expect(result.error.message).toBe('这不是 Gazette 传输包文件');
    }
  });

  it('reports a truncated package as truncated', async () => {
    for (const length of [clean.length - 1, clean.length - 30, Math.floor(clean.length / 2), 60]) {
      const result = await expectRefused(clean.slice(0, length), 'truncated');
      expect(result.error.message).toContain('不完整');
    }
  });

  it('asks for an update for a package from a future format version', async () => {
    const text = Buffer.from(clean).toString('utf8').replace('"version":1,', '"version":2,');
    const result = await expectRefused(new Uint8Array(Buffer.from(text)), 'future_version');
    expect(result.error.message).toContain('格式版本 2');
    expect(result.error.message).toContain('升级');
  });

  it('refuses a package from an exporter whose key is not trusted here', async () => {
    await expectRefused(clean, 'unknown_exporter', trusted.filter((k) => k.personId !== 'a1'));
  });

  it('never throws, whatever it is given', async () => {
    await expect(verifyPackage(new Uint8Array(Buffer.from('{"format":"gazette/package","version":1,"end":"gazette/package-end"}')), trusted)).resolves.toMatchObject({ ok: false });
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

  it('catches one flipped byte in an approval signature', async () => {
    const tampered = flipInEntry(clean, 'article-0001/review.json', (d) => d.indexOf(Buffer.from('"value":"')) + 12);
    const result = await expectRefused(tampered, 'entry_digest_mismatch');
    expect(result.error.message).toContain('审核记录');
  });

  it('catches one flipped byte in the package signature', async () => {
    const json = parse(clean);
    const signature = Buffer.from(json.signature.value, 'base64');
    signature[10] = signature[10]! ^ 0x80;
    json.signature.value = signature.toString('base64');
    await expectRefused(serialize(json), 'bad_package_signature');
  });

  it('catches a digest rewritten in the manifest (covered by the package signature)', async () => {
    const json = parse(clean);
    json.manifest.entries[0]!.sha256 = '0'.repeat(64);
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
    const accepted: number[] = [];
    for (const position of positions) {
      const tampered = clean.slice();
      tampered[position] = tampered[position]! ^ (1 << Math.floor(next() * 8));
      const result = await verifyPackage(tampered, trusted);
      if (result.ok) accepted.push(position);
    }
    expect(accepted).toEqual([]);
  });
});

describe('approvals inside a package signed by a (possibly dishonest) exporter', () => {
  it('refuses an approval signed by a key that is not trusted', async () => {
    const item = structuredClone(inputs[0]!);
    const finalApproval = item.review!.approvals[2]!;
    finalApproval.signature = signApproval(keys.rogue!, item.article.id, finalApproval);
    const result = await expectRefused(await buildPackage([item], exporter(), at(10)), 'unknown_approver_key');
    expect(result.error.message).toContain('终审');
  });

  it('refuses an approval signed with another reviewer’s key', async () => {
    const item = structuredClone(inputs[0]!);
    const finalApproval = item.review!.approvals[2]!;
    finalApproval.signature = signApproval(keys.r2!, item.article.id, finalApproval);
    await expectRefused(await buildPackage([item], exporter(), at(10)), 'approver_mismatch');
  });

  it('refuses an approval whose opinion or stage was rewritten after signing', async () => {
    const item = structuredClone(inputs[0]!);
    item.review!.approvals[1]!.opinion = '同意（已核实）';
    await expectRefused(await buildPackage([item], exporter(), at(10)), 'bad_approval_signature');
  });

  it('refuses an unsigned approval', async () => {
    const item = structuredClone(inputs[0]!);
    item.review!.approvals[0]!.signature = null;
    await expectRefused(await buildPackage([item], exporter(), at(10)), 'bad_approval_signature');
  });

  it('refuses approvals whose hash does not match the text in the package', async () => {
    const item = structuredClone(inputs[0]!);
    item.article.meta.title = '区委召开常委会（扩大）会议';
    const result = await expectRefused(await buildPackage([item], exporter(), at(10)), 'approval_hash_mismatch');
    expect(result.error.message).toContain('初审');
  });

  it('refuses to build a package with an unsafe file name', async () => {
    const item = structuredClone(inputs[0]!);
    item.assets[0]!.name = '../../etc/passwd';
    await expect(buildPackage([item], exporter(), at(10))).rejects.toMatchObject({ code: 'unsafe_path' });
  });
});
