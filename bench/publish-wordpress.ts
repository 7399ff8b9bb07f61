// Publishing 50 articles to the local WordPress through the durable outbox,
// with per-article progress; prints the figures. Needs the test servers
// (scripts/test-servers/start.sh); without them it says so and exits 0.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../node/services/publish/outbox/outbox';
import type { PublishPayload } from '../node/services/publish/outbox/target';
import { WordPressClient } from '../node/services/publish/wordpress/client';
import { loadTestServers } from '../tests/support/test-servers';

const COUNT = 50;
const loaded = await loadTestServers();
if ('skip' in loaded) {
  console.log(`SKIPPED publish-wordpress bench: ${loaded.skip}`);
  process.exit(0);
}
const { servers } = loaded;
const dir = mkdtempSync(join(tmpdir(), 'gazette-bench-outbox-'));
const run = randomUUID().slice(0, 8);
const target = new WordPressClient({ id: 'wp', baseUrl: servers.wpUrl, user: servers.wpUser, appPassword: servers.wpAppPassword });
const outbox = await Outbox.open({ dir, targets: [target], baseDelayMs: 200, maxDelayMs: 2_000 });

const body = '会议强调，要坚持生态优先，推进南水北调后续工程高质量发展。'.repeat(40);
function payload(n: number): PublishPayload {
  return {
    title: `基准测试稿件 ${run} 第${n}篇`,
    html: `<p>${body}</p><p>第${n}篇。</p>`,
    excerpt: '基准测试',
    date: '2026-11-20T09:30',
    column: ['首页', '要闻动态', '政务要闻'],
    keywords: ['基准测试', '生态'],
    source: '区党政办',
    cover: null,
    images: [],
  };
}

let done = 0;
const perJob: number[] = [];
const started = performance.now();
for (let n = 1; n <= COUNT; n++) {
  await outbox.enqueue({ action: 'publish', targetId: 'wp', articleId: `bench-${run}-${n}`, contentHash: `${run}-${n}`, payload: payload(n) });
}
while (outbox.jobs().some((job) => job.state === 'pending' || job.state === 'running')) {
  const before = performance.now();
  await outbox.runDue();
  const succeeded = outbox.jobs().filter((job) => job.state === 'succeeded').length;
  if (succeeded > done) {
    perJob.push((performance.now() - before) / (succeeded - done));
    done = succeeded;
    process.stdout.write(`\rpublished ${done}/${COUNT}`);
  }
  const next = outbox.nextDueAt();
  if (next !== null) await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
}
const total = performance.now() - started;
const failed = outbox.jobs().filter((job) => job.state === 'failed').length;
perJob.sort((a, b) => a - b);
console.log(
  `\npublish ${COUNT} articles to local WordPress (REST, categories+tags, receipt verification): total ${(total / 1000).toFixed(2)} s, ` +
    `${(total / COUNT).toFixed(0)} ms per article, failed ${failed}`,
);
await outbox.stop();
rmSync(dir, { recursive: true, force: true });
