/*
 * The verifiable record: how long the one verifier takes for an article with
 * 50 signed entries (target ≤ 5 ms), and for every article of a 10,000-article
 * workspace read from disk, as `gazette verify --all` would (target ≤ 10 s).
 * Replay is per article, so its cost must not grow with the workspace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeRecordCrypto as crypto } from '../node/services/record/crypto';
import { OfficePolicyStore } from '../node/services/record/policy-store';
import { ArticleRecordStore, RECORD_FILE } from '../node/services/record/record-store';
import { WorkspaceVerifier } from '../node/services/record/workspace-verifier';
import { ReviewStore } from '../node/services/review/review-store';
import { WorkspaceStore } from '../node/services/store/workspace-store';
import { ArticleMetaSchema } from '../shared/domain/article';
import { articleContentHash } from '../shared/workflow/canonical';
import { type Doc, paragraph } from '../shared/domain/doc';
import { entrySigningText, nextEntry, type RecordEntry, type SignedEvent, signedEntry } from '../shared/record/entry';
import { verifyPolicyChain } from '../shared/record/policy';
import { verifyArticleRecord } from '../shared/record/verify';
import { defaultReviewChain, type Person } from '../shared/workflow/review-chain';
import { newSigner, type Signer, signText } from '../tests/support/signer';
import { quantile } from './stats';

const signer = (id: string, roles: Person['roles']) => newSigner({ id, name: id, unit: '', roles, active: true });

const admin = signer('admin', ['admin']);
const writer = signer('writer', ['writer']);
const reviewers = [signer('r1', ['reviewer']), signer('r2', ['reviewer']), signer('r3', ['reviewer'])];
const everyone = [admin, writer, ...reviewers];
const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const at = (n: number) => new Date(T0 + n * 1000).toISOString();
let HASH = 'c'.repeat(64);

const officeKeys = everyone.map((s) => ({ keyId: s.keyId, personId: s.person.id, publicKey: s.publicKey, validFrom: at(0), revokedAt: null, revokedReason: '' }));

/** Submit, then per stage `comments` comments and an approval; `thanks` adds the writer's closing comment. */
function record(articleId: string, comments: number, thanks = false): RecordEntry[] {
  const entries: RecordEntry[] = [];
  let clock = 10;
  const add = (who: Signer, event: Record<string, unknown>) => {
    const unsigned = nextEntry(articleId, entries.at(-1) ?? null, 1, { ...event, actorId: who.person.id, at: at(clock++), contentHash: HASH } as SignedEvent, crypto);
    entries.push(signedEntry(unsigned, { keyId: who.keyId, value: signText(who, entrySigningText(unsigned)) }));
  };
  add(writer, { type: 'submit', stageId: 'first', note: '' });
  const stages = ['first', 'second', 'final'];
  for (const [i, reviewer] of reviewers.entries()) {
    for (let c = 0; c < comments; c++) add(reviewer, { type: 'comment', commentId: `c${i}-${c}`, stageId: stages[i], body: '此处表述请再核实。', anchor: null });
    add(reviewer, { type: 'approve', stageId: stages[i], opinion: '同意', final: i === 2, signature: null });
  }
  if (thanks) add(writer, { type: 'comment', commentId: 'thanks', stageId: null, body: '收到，谢谢。', anchor: null });
  return entries;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-bench-record-'));
  try {
    const policies = new OfficePolicyStore(dir, crypto);
    const policy = await policies.create({ issuedAt: at(0), issuedBy: 'admin', note: '', chain: defaultReviewChain(), people: everyone.map((s) => s.person), keys: officeKeys }, {
      personId: 'admin',
      keyId: admin.keyId,
      sign: (text) => signText(admin, text),
    });

    // One article, 50 signed entries (submit, 3 approvals, 46 comments), verified in memory.
    const fifty = record('bench-50', 15, true);
    if (fifty.length !== 50) throw new Error(`expected 50 entries, built ${fifty.length}`);
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const start = performance.now();
      const verdict = verifyArticleRecord({ articleId: 'bench-50', entries: fifty, policy, currentHash: HASH, crypto });
      samples.push(performance.now() - start);
      if (!verdict.publishable) throw new Error(verdict.problems.map((p) => p.message).join('; '));
    }
    console.log(`verify one article, 50 entries: p50 ${quantile(samples, 0.5).toFixed(2)} ms, p95 ${quantile(samples, 0.95).toFixed(2)} ms (target ≤ 5 ms)`);

    // 10,000 articles in a real workspace, each submitted and approved by three stages (4 entries):
    // `gazette verify --all` opens the workspace and checks every article cold — its record, its
    // content hash (article file and assets) and the list status.
    const count = Number(process.env.RECORD_BENCH_ARTICLES ?? 10_000);
    const meta = ArticleMetaSchema.parse({ title: '区政府常务会议召开', column: ['首页', '要闻动态'], source: '区党政办', publishAt: '2026-12-01' });
    const doc: Doc = { type: 'doc', content: [paragraph('会议研究了有关事项。'), paragraph('会议要求，各部门抓好落实。')] };
    HASH = await articleContentHash(meta, doc, []);
    const template = record('TEMPLATE', 0);
    const writing = await WorkspaceStore.open(dir);
    for (let i = 0; i < count; i++) {
      const article = await writing.create(meta, doc);
      writeFileSync(join(writing.articleFolder(article.id), RECORD_FILE), resign(template, article.id).map((e) => `${JSON.stringify(e)}\n`).join(''));
      await writing.setStatus(article.id, 'approved');
    }
    await writing.close();
    const start = performance.now();
    const store = await WorkspaceStore.open(dir);
    const opened = performance.now();
    const records = new ArticleRecordStore({ folderOf: (id) => store.articleFolder(id), crypto });
    const reviews = new ReviewStore({ store, records, policy: () => policies.current() });
    const report = await new WorkspaceVerifier({ store, reviews, policies }).verify('all');
    const total = performance.now() - start;
    const bad = report.articles.filter((a) => !a.ok || !a.publishable).length;
    if (report.articles.length !== count) throw new Error(`verified ${report.articles.length} of ${count}`);
    console.log(
      `gazette verify --all over ${count} articles (4 entries each): ${(total / 1000).toFixed(2)} s (opening the workspace ${((opened - start) / 1000).toFixed(2)} s), ${(total / count).toFixed(3)} ms per article, ${bad} failed (target ≤ 10 s)`,
    );
    await store.close();

    // The policy chain itself: 50 versions.
    for (let v = 2; v <= 50; v++) {
      await policies.amend((p) => ({ ...p }), { personId: 'admin', keyId: admin.keyId, sign: (text) => signText(admin, text) }, at(v), `v${v}`);
    }
    const previous = await policies.signedVersions();
    const chainSamples: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      verifyPolicyChain(previous, admin.keyId, crypto);
      chainSamples.push(performance.now() - t);
    }
    console.log(`verify a 50-version office policy: p50 ${quantile(chainSamples, 0.5).toFixed(2)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same acts for another article: each entry re-chained and re-signed for `articleId`. */
function resign(template: readonly RecordEntry[], articleId: string): RecordEntry[] {
  const out: RecordEntry[] = [];
  for (const entry of template) {
    const who = everyone.find((s) => s.person.id === entry.event.actorId)!;
    const unsigned = nextEntry(articleId, out.at(-1) ?? null, 1, entry.event, crypto);
    out.push(signedEntry(unsigned, { keyId: who.keyId, value: signText(who, entrySigningText(unsigned)) }));
  }
  return out;
}

await main();
