import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../node/services/publish/outbox/outbox';
import { PublishError } from '../../../node/services/publish/outbox/publish-error';
import type { PublishPayload, PublishTarget, RemotePost } from '../../../node/services/publish/outbox/target';

/** An in-memory site that fails the way it is told to. */
class FakeSite implements PublishTarget {
  readonly id = 'site';
  readonly label = '测试网站';
  readonly posts = new Map<string, { jobId: string; title: string; status: string }>();
  failures: Array<() => Error> = [];
  calls: string[] = [];

  #maybeFail(call: string): void {
    this.calls.push(call);
    const next = this.failures.shift();
    if (next) throw next();
  }
  async findByJobId(jobId: string): Promise<RemotePost | null> {
    this.#maybeFail('find');
    for (const [id, post] of this.posts) if (post.jobId === jobId) return { remoteId: id, url: `http://site/${id}` };
    return null;
  }
  async create(payload: PublishPayload, jobId: string): Promise<RemotePost> {
    this.#maybeFail('create');
    const id = String(this.posts.size + 1);
    this.posts.set(id, { jobId, title: payload.title, status: 'publish' });
    return { remoteId: id, url: `http://site/${id}` };
  }
  async update(remoteId: string, payload: PublishPayload): Promise<RemotePost> {
    this.#maybeFail('update');
    const post = this.posts.get(remoteId);
    if (post) post.title = payload.title;
    return { remoteId, url: `http://site/${remoteId}` };
  }
  async withdraw(remoteId: string): Promise<void> {
    this.#maybeFail('withdraw');
    const post = this.posts.get(remoteId);
    if (post) post.status = 'draft';
  }
}

const payload = (title: string): PublishPayload => ({ title, html: '<p>x</p>', excerpt: '', date: null, column: [], keywords: [], source: '', cover: null, images: [] });
const serverError = () => new PublishError('server', 'publish.error.server', { target: '测试网站', status: 503, server: 'busy' }, { status: 503 });
const networkError = () => new PublishError('network', 'publish.error.network', { target: '测试网站', detail: 'ECONNREFUSED' });
const rejected = () => new PublishError('rejected', 'publish.error.rejected', { target: '测试网站', status: 400, code: 'rest_invalid_param', server: '参数无效' }, { status: 400 });

function clock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function setup(options: { maxAttempts?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-outbox-unit-'));
  const site = new FakeSite();
  const time = clock();
  const open = () => Outbox.open({ dir, targets: [site], now: time.now, random: () => 1, baseDelayMs: 1000, maxDelayMs: 8000, verifyFetch: null, ...options });
  return { dir, site, time, open, outbox: await open() };
}

describe('durable outbox', () => {
  it('writes the job to disk before anything is sent', async () => {
    const { dir, site, outbox } = await setup();
    const job = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'h', payload: payload('标题') });
    expect(site.calls).toEqual([]);
    const onDisk = JSON.parse(readFileSync(join(dir, 'jobs', `${job.id}.json`), 'utf8'));
    expect(onDisk).toMatchObject({ id: job.id, state: 'pending', action: 'publish', payload: { title: '标题' } });
  });

  it('retries 5xx with exponential backoff and stores a receipt with the content hash', async () => {
    const { site, time, outbox } = await setup();
    site.failures = [serverError, serverError];
    const job = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'hash-1', payload: payload('标题') });
    await outbox.runDue();
    expect(outbox.job(job.id)?.nextAttemptAt).toBe(new Date(time.now() + 1000).toISOString());
    time.advance(999);
    expect(await outbox.runDue()).toBe(0);
    time.advance(1);
    await outbox.runDue();
    expect(outbox.job(job.id)?.nextAttemptAt).toBe(new Date(time.now() + 2000).toISOString());
    time.advance(2000);
    await outbox.runDue();
    const done = outbox.job(job.id);
    expect(done?.state).toBe('succeeded');
    expect(done?.attempts).toBe(3);
    expect(done?.receipt).toMatchObject({ targetId: 'site', remoteId: '1', url: 'http://site/1', contentHash: 'hash-1' });
    expect(site.posts.size).toBe(1);
  });

  it('jitters the delay between half and all of the capped exponential delay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-outbox-unit-'));
    const low = await Outbox.open({ dir, targets: [], random: () => 0, baseDelayMs: 1000, maxDelayMs: 8000 });
    expect([1, 2, 3, 4, 5, 10].map((n) => low.backoffDelay(n))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('fails a 4xx at once with the server message, and gives up on 5xx after maxAttempts', async () => {
    const { site, time, outbox } = await setup({ maxAttempts: 2 });
    site.failures = [rejected];
    const bad = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'h', payload: payload('一') });
    await outbox.runDue();
    expect(outbox.job(bad.id)).toMatchObject({ state: 'failed', attempts: 1 });
    expect(outbox.job(bad.id)?.lastError?.message).toContain('参数无效');

    site.failures = [serverError, serverError];
    const busy = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a2', contentHash: 'h', payload: payload('二') });
    await outbox.runDue();
    time.advance(10_000);
    await outbox.runDue();
    expect(outbox.job(busy.id)).toMatchObject({ state: 'failed', attempts: 2 });
  });

  it('never gives up while the network is down, and says it is waiting', async () => {
    const { site, time, outbox } = await setup({ maxAttempts: 2 });
    site.failures = Array.from({ length: 6 }, () => networkError);
    const waits: string[] = [];
    outbox.on((event) => {
      if (event.type === 'waiting_offline') waits.push(event.message);
    });
    const job = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'h', payload: payload('标题') });
    for (let i = 0; i < 6; i++) {
      await outbox.runDue();
      time.advance(60_000);
    }
    expect(outbox.job(job.id)?.state).toBe('pending');
    expect(waits).toHaveLength(6);
    await outbox.runDue();
    expect(outbox.job(job.id)?.state).toBe('succeeded');
  });

  it('holds a scheduled job until its time', async () => {
    const { site, time, outbox } = await setup();
    const at = new Date(time.now() + 3_600_000).toISOString();
    const job = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'h', payload: payload('定时'), notBefore: at });
    await outbox.runDue();
    expect(site.calls).toEqual([]);
    time.advance(3_600_000);
    await outbox.runDue();
    expect(outbox.job(job.id)?.state).toBe('succeeded');
  });

  it('after a restart mid-send, looks the job up and does not create a second post', async () => {
    const { site, open, outbox } = await setup();
    const job = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'h', payload: payload('标题') });
    // The post got created, but the process died before recording it.
    site.posts.set('1', { jobId: job.id, title: '标题', status: 'publish' });
    const reopened = await open();
    await reopened.runDue();
    expect(reopened.job(job.id)?.state).toBe('succeeded');
    expect(reopened.job(job.id)?.receipt?.remoteId).toBe('1');
    expect(site.posts.size).toBe(1);
    expect(site.calls).toEqual(['find']);
  });

  it('runs update and withdraw after the publish they depend on, on the same post', async () => {
    const { site, time, outbox } = await setup();
    site.failures = [serverError];
    await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'h1', payload: payload('原标题') });
    time.advance(1);
    await outbox.enqueue({ action: 'update', targetId: 'site', articleId: 'a1', contentHash: 'h2', payload: payload('新标题') });
    time.advance(1);
    await outbox.enqueue({ action: 'withdraw', targetId: 'site', articleId: 'a1', contentHash: 'h2' });
    await outbox.runDue(); // publish fails (503): update and withdraw must wait
    expect(site.calls).toEqual(['find']);
    time.advance(5000);
    await outbox.runDue();
    expect(site.posts.size).toBe(1);
    expect(site.posts.get('1')).toMatchObject({ title: '新标题', status: 'draft' });
    expect(outbox.lastReceipt('site', 'a1')).toMatchObject({ action: 'withdraw', remoteId: '1' });
  });

  it('moves a damaged job file aside and keeps the others', async () => {
    const { dir, open, outbox } = await setup();
    const good = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'h', payload: payload('好') });
    writeFileSync(join(dir, 'jobs', '00000000-0000-4000-8000-000000000000.json'), '{ not json');
    const reopened = await open();
    expect(reopened.jobs().map((job) => job.id)).toEqual([good.id]);
    expect(reopened.problems).toHaveLength(1);
    expect(readdirSync(join(dir, 'jobs')).some((name) => name.endsWith('.damaged'))).toBe(true);
  });
});
