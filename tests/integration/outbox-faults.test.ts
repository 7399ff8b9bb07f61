import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox, type OutboxEvent } from '../../node/services/publish/outbox/outbox';
import type { PublishPayload } from '../../node/services/publish/outbox/target';
import { WordPressClient } from '../../node/services/publish/wordpress/client';
import { type Fault, FaultProxy } from '../support/fault-proxy';
import { loadTestServers, type TestServers } from '../support/test-servers';

const loaded = await loadTestServers();
if ('skip' in loaded) console.warn(`[skip] outbox fault-injection tests: ${loaded.skip}`);
const servers = 'servers' in loaded ? loaded.servers : null;

/** The create call: POST to the posts collection (not to posts/<id>). */
const isCreate = (method: string, url: string) => method === 'POST' && /rest_route=%2Fwp%2Fv2%2Fposts(&|$)/.test(url);

/** The exactly-once lookup: GET on the posts collection. */
const isLookup = (method: string, url: string) => method === 'GET' && /rest_route=%2Fwp%2Fv2%2Fposts&/.test(url);

describe.skipIf(!servers)('durable outbox against the real WordPress behind a fault-injecting proxy', () => {
  const s = servers as TestServers;
  const run = randomUUID().slice(0, 8);
  let proxy: FaultProxy;
  const direct = () => new WordPressClient({ id: 'wp', baseUrl: s.wpUrl, user: s.wpUser, appPassword: s.wpAppPassword });

  beforeAll(async () => {
    proxy = await FaultProxy.start(s.wpUrl);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  async function openOutbox(dir: string): Promise<Outbox> {
    const target = new WordPressClient({ id: 'wp', baseUrl: proxy.url, user: s.wpUser, appPassword: s.wpAppPassword, timeoutMs: 1500 });
    return Outbox.open({ dir, targets: [target], baseDelayMs: 20, maxDelayMs: 100 });
  }

  function payload(title: string): PublishPayload {
    return { title, html: `<p>${title}正文。</p>`, excerpt: '', date: null, column: [], keywords: [], source: '区政府办公室', cover: null, images: [] };
  }

  async function drain(outbox: Outbox, limitMs = 30_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (outbox.jobs().some((job) => job.state === 'pending' || job.state === 'running')) {
      if (Date.now() > deadline) throw new Error('outbox did not drain');
      await outbox.runDue();
      const next = outbox.nextDueAt();
      if (next !== null) await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
  }

  /** Every post WordPress has with this exact title, whatever its slug or status. */
  async function postsTitled(title: string): Promise<number[]> {
    const found = await direct().request<Array<{ id: number; title: { raw: string } }>>('GET', '/wp/v2/posts', {
      query: { search: title, status: 'any', context: 'edit', per_page: 100 },
    });
    return found.filter((post) => post.title.raw === title).map((post) => post.id);
  }

  it.each<[Fault, number]>([
    ['drop-after-forward', 4],
    ['bad-gateway', 4],
    ['stall', 3],
  ])('%s: every article exists exactly once, nothing is lost, receipts are stored and verified', async (fault, articles) => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-outbox-'));
    const outbox = await openOutbox(dir);
    const events: OutboxEvent[] = [];
    outbox.on((event) => events.push(event));
    const titles = Array.from({ length: articles }, (_, i) => `故障注入 ${fault} ${run} 第${i + 1}篇`);
    for (const [i, title] of titles.entries()) {
      await outbox.enqueue({ action: 'publish', targetId: 'wp', articleId: `article-${fault}-${i}`, contentHash: `hash-${i}`, payload: payload(title) });
    }
    // Hit the first lookup (so one retry also fails before it can look), then every article's create call.
    proxy.clear();
    const before = proxy.injected.length;
    proxy.inject(fault, isLookup);
    for (let i = 0; i < articles; i++) proxy.inject(fault, isCreate);
    await drain(outbox);
    expect(proxy.pending).toBe(0);
    expect(proxy.injected.length - before).toBe(articles + 1);

    for (const title of titles) expect(await postsTitled(title), title).toHaveLength(1);
    const jobs = outbox.jobs();
    expect(jobs.map((job) => job.state)).toEqual(titles.map(() => 'succeeded'));
    for (const job of jobs) {
      expect(job.attempts).toBeGreaterThan(1);
      expect(job.receipt?.remoteId).toMatch(/^\d+$/);
      expect(job.receipt?.verification).toBe('verified');
      expect(await postsTitled(job.payload?.title ?? '')).toEqual([Number(job.receipt?.remoteId)]);
    }
    expect(events.some((event) => event.type === 'retry_scheduled' || event.type === 'waiting_offline')).toBe(true);

    // Receipts survive a restart.
    const reopened = await openOutbox(dir);
    expect(reopened.jobs().map((job) => job.receipt)).toEqual(jobs.map((job) => job.receipt));
  }, 60_000);

  it('a crash after the request went out is retried at the next start without a second post', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-outbox-'));
    const first = await openOutbox(dir);
    const title = `重启恢复 ${run}`;
    const job = await first.enqueue({ action: 'publish', targetId: 'wp', articleId: 'article-restart', contentHash: 'h', payload: payload(title) });
    proxy.clear();
    proxy.inject('drop-after-forward', isCreate);
    await first.runDue(); // WordPress created the post; this process never heard back
    expect(first.job(job.id)?.state).toBe('pending');
    // "Restart": a new process opens the same folder.
    const second = await openOutbox(dir);
    expect(second.job(job.id)?.attempts).toBe(1);
    await drain(second);
    expect(second.job(job.id)?.state).toBe('succeeded');
    expect(await postsTitled(title)).toHaveLength(1);
  });

  it('scheduled while offline: stays pending, tells the user, and goes out when the connection returns; update keeps the URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-outbox-'));
    const outbox = await openOutbox(dir);
    const messages: string[] = [];
    outbox.on((event) => {
      if (event.type === 'waiting_offline') messages.push(event.message);
    });
    const title = `定时发布 ${run}`;
    const notBefore = new Date(Date.now() + 300).toISOString();
    const job = await outbox.enqueue({ action: 'publish', targetId: 'wp', articleId: 'article-scheduled', contentHash: 'h1', payload: payload(title), notBefore });
    expect(await outbox.runDue()).toBe(0); // not yet time
    proxy.offline = true;
    await new Promise((resolve) => setTimeout(resolve, 350));
    await outbox.runDue();
    await outbox.runDue().then(() => new Promise((resolve) => setTimeout(resolve, 150))).then(() => outbox.runDue());
    expect(outbox.job(job.id)?.state).toBe('pending');
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toContain('网络恢复后将自动重试');
    expect(await postsTitled(title)).toHaveLength(0);

    proxy.offline = false;
    await outbox.retryNow();
    await drain(outbox);
    const receipt = outbox.job(job.id)?.receipt;
    expect(receipt?.verification).toBe('verified');

    const update = await outbox.enqueue({ action: 'update', targetId: 'wp', articleId: 'article-scheduled', contentHash: 'h2', payload: payload(`${title}（更新）`) });
    await drain(outbox);
    expect(outbox.job(update.id)?.receipt?.url).toBe(receipt?.url);
    expect(outbox.job(update.id)?.receipt?.remoteId).toBe(receipt?.remoteId);
    expect(await postsTitled(title)).toHaveLength(0);
    expect(await postsTitled(`${title}（更新）`)).toEqual([Number(receipt?.remoteId)]);

    const withdraw = await outbox.enqueue({ action: 'withdraw', targetId: 'wp', articleId: 'article-scheduled', contentHash: 'h2' });
    await drain(outbox);
    expect(outbox.job(withdraw.id)?.state).toBe('succeeded');
    expect(((await direct().getPost(receipt?.remoteId ?? '')) as { status: string }).status).toBe('draft');
  });

  it('a 4xx is not retried: the job fails with the server message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-outbox-'));
    const target = new WordPressClient({ id: 'wp', baseUrl: proxy.url, user: s.wpUser, appPassword: 'wrong wrong wrong wrong' });
    const outbox = await Outbox.open({ dir, targets: [target], baseDelayMs: 20 });
    const job = await outbox.enqueue({ action: 'publish', targetId: 'wp', articleId: 'article-4xx', contentHash: 'h', payload: payload(`拒绝 ${run}`) });
    await outbox.runDue();
    const failed = outbox.job(job.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.attempts).toBe(1);
    expect(failed?.lastError?.message).toContain('拒绝登录');
  });
});
