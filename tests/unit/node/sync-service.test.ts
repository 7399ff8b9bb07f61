import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncRoundReport } from '../../../shared/api/contract';
import type { Article } from '../../../shared/domain/article';
import { docKeyOf, mergeArticles, SYNC_CONFLICT_FILE, SYNC_CONFLICT_FORMAT } from '../../../shared/sync/article-merge';
import { SyncNotices } from '../../../node/services/notify/sync-notices';
import { createOffice } from '../../support/review-api';
import { EMPTY_INSPECTION, roundReport } from '../../support/sync-round';
import type { UnlockedKey } from '../../../node/services/identity/keys';
import { type SyncRunner, SyncService, type SyncSession } from '../../../node/services/sync/sync-service';
import type { SyncInspection } from '../../../node/services/sync/sync-worker';
import type { SyncConfig } from '../../../node/services/sync/workspace-sync';

/*
 * The app's sync service decides when rounds run and what the title bar
 * says; the rounds themselves are a fake here (the worker and the real server
 * are tests/integration/office-app.test.ts).
 */

const CONFIG: SyncConfig = {
  format: 'gazette/sync-config/v1',
  serverUrl: 'http://127.0.0.1:1/git/',
  personId: 'writer',
  rootKeyId: 'root',
  joinedAt: '2026-01-01T00:00:00.000Z',
};

const session = (personId = 'writer', password = 'pw'): SyncSession => ({
  personId,
  name: personId,
  password,
  key: { keyId: `k-${personId}`, personId, publicKey: 'pk', privateKey: {} } as unknown as UnlockedKey,
});

const report = roundReport;
const EMPTY = EMPTY_INSPECTION;

/** A runner whose rounds answer from a script, optionally held until released. */
class FakeRunner implements SyncRunner {
  rounds = 0;
  closed = 0;
  next: SyncRoundReport[] = [];
  inspection: SyncInspection = EMPTY;
  hold: Promise<void> | null = null;
  opened: SyncSession[] = [];

  /** What each round was asked to look at: 'all', or the articles written since the round before. */
  looks: Array<'all' | string[]> = [];

  async round(look?: { articles: readonly string[] }): Promise<SyncRoundReport> {
    this.rounds++;
    this.looks.push(look ? [...look.articles].sort() : 'all');
    this.roundRunning = true;
    try {
      if (this.hold) await this.hold;
      return this.next.shift() ?? report('synced');
    } finally {
      this.roundRunning = false;
    }
  }
  async inspect(): Promise<SyncInspection> {
    return this.inspection;
  }
  async commit() {
    return { commits: [], skipped: [] };
  }
  imports: { sha256: string; articleIds: readonly string[]; duringRound: boolean }[] = [];
  roundRunning = false;
  async recordImport(sha256: string, articleIds: readonly string[]) {
    this.imports.push({ sha256, articleIds, duringRound: this.roundRunning });
    return { commits: [], skipped: [] };
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

let fake: FakeRunner;
let service: SyncService;
let config: SyncConfig | null;

let written: (readonly string[] | 'unknown')[];

function make(options: { intervalMs?: number; saveDelayMs?: number } = {}): SyncService {
  service = new SyncService({
    diskChanged: (articles) => {
      written.push(articles);
    },
    dir: '/nonexistent-workspace',
    readConfig: async () => config,
    runner: async ({ session: s }) => {
      fake.opened.push(s);
      return fake;
    },
    intervalMs: options.intervalMs ?? 60_000,
    saveDelayMs: options.saveDelayMs ?? 10_000,
    backoff: { baseMs: 15_000, maxMs: 300_000 },
  });
  return service;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-01T08:00:00.000Z') });
  written = [];
  fake = new FakeRunner();
  config = CONFIG;
});
afterEach(async () => {
  await service?.close();
  vi.useRealTimers();
});

describe('the sync service', () => {
  it('on a workspace that never joined an office, says not_joined and runs nothing', async () => {
    config = null;
    make();
    await service.refreshConfig();
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(120_000);
    expect(service.status().phase).toBe('not_joined');
    expect(fake.rounds).toBe(0);
    await expect(service.roundNow()).rejects.toMatchObject({ code: 'conflict' });
  });

  it('waits for the person the desktop joined as: someone else signing in starts nothing, and the status says whom it waits for', async () => {
    make();
    await service.refreshConfig();
    await service.signedIn('s1', session('reviewer'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fake.rounds).toBe(0);
    expect(service.status().message).toContain('writer');
    await expect(service.roundNow()).rejects.toMatchObject({ code: 'conflict' });
  });

  it('runs a round at sign-in, then every interval, with the password typed at sign-in', async () => {
    make();
    await service.refreshConfig();
    await service.signedIn('s1', session('writer', 'secret-1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.rounds).toBe(1);
    expect(fake.opened[0]?.password).toBe('secret-1');
    const status = service.status();
    expect(status.phase).toBe('synced');
    expect(status.lastSyncAt).toBe('2026-03-01T08:00:00.000Z');
    expect(status.nextAttemptAt).toBe('2026-03-01T08:01:00.000Z');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(fake.rounds).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.rounds).toBe(2);
  });

  it('runs one round at a time: sync:now during a round waits for it and runs its own, which the nudges made meanwhile ride on', async () => {
    make();
    await service.refreshConfig();
    let release!: () => void;
    fake.hold = new Promise((done) => {
      release = done;
    });
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(0);
    expect(service.status().phase).toBe('syncing');
    const asked = service.roundNow();
    service.nudge('a1');
    service.nudge('a2');
    expect(fake.rounds).toBe(1);
    fake.hold = null;
    release();
    // What was saved while the first round ran is in the round 立即同步 waited for.
    await expect(asked).resolves.toMatchObject({ phase: 'synced' });
    expect(fake.rounds).toBe(2);
    await vi.advanceTimersByTimeAsync(0);
    // The nudges during the first round asked for one more, and that round was it.
    expect(fake.rounds).toBe(2);
  });

  it('a workflow step starts a round at once; saves start one once they pause', async () => {
    make({ saveDelayMs: 10_000 });
    await service.refreshConfig();
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.rounds).toBe(1);
    service.nudge('a1');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.rounds).toBe(2);
    service.saved('a1');
    await vi.advanceTimersByTimeAsync(6_000);
    service.saved('a1');
    await vi.advanceTimersByTimeAsync(6_000);
    expect(fake.rounds).toBe(2);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(fake.rounds).toBe(3);
  });

  it('a round after saves or a step looks at those articles only; the first, the timer’s, 立即同步 and the one after a failure look at every file', async () => {
    make({ saveDelayMs: 10_000, intervalMs: 60_000 });
    await service.refreshConfig();
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(0);
    service.saved('article-b');
    service.saved('article-a');
    await vi.advanceTimersByTimeAsync(10_000);
    service.nudge('article-c');
    await vi.advanceTimersByTimeAsync(0);
    // A write whose article is not known (a package import): every file.
    service.nudge();
    await vi.advanceTimersByTimeAsync(0);
    // Nothing written: the timer's round still looks at everything (a file changed behind the app's back).
    await vi.advanceTimersByTimeAsync(60_000);
    service.saved('article-d');
    await service.roundNow();
    expect(fake.looks).toEqual(['all', ['article-a', 'article-b'], ['article-c'], 'all', 'all', 'all']);

    // A round that fails: what it was to look at is looked at again, with everything else.
    const round = fake.round.bind(fake);
    fake.round = async (look) => {
      fake.looks.push(look ? [...look.articles] : 'all');
      throw new Error('the thread stopped');
    };
    service.nudge('article-e');
    await vi.advanceTimersByTimeAsync(0);
    fake.round = round;
    service.nudge('article-f');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.looks.slice(6)).toEqual([['article-e'], 'all']);
  });

  it('offline: says 离线 and waits longer each time, up to the cap; back online it returns to the interval', async () => {
    make();
    await service.refreshConfig();
    fake.next = Array.from({ length: 7 }, () => report('offline', { message: '服务器无法连接' }));
    await service.signedIn('s1', session());
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      await vi.advanceTimersByTimeAsync(i === 0 ? 0 : waits.at(-1)!);
      const status = service.status();
      expect(status.phase).toBe('offline');
      expect(status.message).toBe('服务器无法连接');
      waits.push(new Date(status.nextAttemptAt!).getTime() - Date.now());
    }
    expect(waits).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(service.status().phase).toBe('synced');
    expect(new Date(service.status().nextAttemptAt!).getTime() - Date.now()).toBe(60_000);
  });

  it('a refused login or a revoked key stops the background rounds until the person signs in again', async () => {
    make();
    await service.refreshConfig();
    fake.next = [report('unauthorized', { message: '服务器拒绝了登录' })];
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(0);
    expect(service.status()).toMatchObject({ phase: 'unauthorized', nextAttemptAt: null, message: '服务器拒绝了登录' });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fake.rounds).toBe(1);
    fake.next = [report('revoked', { message: '您的密钥已被吊销' })];
    await service.signedIn('s2', session('writer', 'new-password'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.rounds).toBe(2);
    // A new password: the old thread (and the old password with it) is closed.
    expect(fake.closed).toBe(1);
    expect(service.status()).toMatchObject({ phase: 'revoked', nextAttemptAt: null });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fake.rounds).toBe(2);
  });

  it('signing out of the last session stops the rounds and closes the thread holding the password', async () => {
    make();
    await service.refreshConfig();
    await service.signedIn('window', session());
    await service.signedIn('browser', session());
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.rounds).toBe(1);
    await service.signedOut('window');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.rounds).toBe(2);
    await service.signedOut('browser');
    expect(fake.closed).toBe(1);
    expect(service.active).toBe(false);
    expect(service.status().nextAttemptAt).toBeNull();
    service.nudge('a1');
    service.saved('a1');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fake.rounds).toBe(2);
    await expect(service.roundNow()).rejects.toMatchObject({ code: 'conflict' });
  });

  it('counts pending work and conflicts, and gives each article its state for the list', async () => {
    make();
    await service.refreshConfig();
    fake.inspection = {
      pendingArticles: ['aaaaaaaa', 'bbbbbbbb', 'cccccccc', 'eeeeeeee'],
      pendingOther: ['office/policy/000002.json'],
      unpushed: [{ repo: 'u0123456789ab-drafts', commits: 2 }],
      conflicts: ['dddddddd'],
      // Refused in an earlier round (or before a restart) and unchanged since: still held back.
      refused: ['eeeeeeee'],
      localOnly: ['cccccccc'],
      repos: [
        { name: 'office', head: 'a'.repeat(40) },
        { name: 'u0123456789ab-drafts', head: 'b'.repeat(40) },
      ],
    };
    fake.next = [report('pending')];
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(0);
    const status = service.status();
    expect(status.phase).toBe('conflict');
    expect(status.pending).toBe(5);
    expect(status.conflicts).toBe(1);
    expect(status.repos).toEqual([
      expect.objectContaining({ name: 'office', kind: 'office', pending: 0, head: 'a'.repeat(40) }),
      expect.objectContaining({ name: 'u0123456789ab-drafts', kind: 'drafts', pending: 2 }),
    ]);
    expect(service.articleStates()).toEqual({
      aaaaaaaa: 'pending',
      bbbbbbbb: 'pending',
      cccccccc: 'local_only',
      dddddddd: 'conflict',
      eeeeeeee: 'refused',
    });
  });

  it('what the server refused is marked refused in the list, with the refusal on its repository', async () => {
    make();
    await service.refreshConfig();
    fake.inspection = { ...EMPTY, pendingArticles: ['aaaaaaaa'], repos: [{ name: 'u0123456789ab-submitted', head: null }] };
    fake.next = [report('refused', { refused: [{ repo: 'u0123456789ab-submitted', reasons: ['拒绝：签名无效'] }], message: '服务器拒绝' })];
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(0);
    expect(service.status()).toMatchObject({ phase: 'refused', message: '服务器拒绝', lastSyncAt: null });
    expect(service.status().repos[0]).toMatchObject({ problem: '拒绝：签名无效' });
    expect(service.articleStates()).toEqual({ aaaaaaaa: 'refused' });
  });

  it('a round that fails inside keeps what was known, says what failed, and tries again later', async () => {
    make();
    await service.refreshConfig();
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(0);
    expect(service.status().phase).toBe('synced');
    fake.round = async () => {
      fake.rounds++;
      throw new Error('disk full');
    };
    await expect(service.roundNow()).rejects.toMatchObject({ code: 'internal' });
    const status = service.status();
    expect(status.phase).toBe('synced');
    expect(status.message).toContain('disk full');
    expect(new Date(status.nextAttemptAt!).getTime() - Date.now()).toBe(15_000);
    // It may have written files before it failed: the list is told to look at the disk again.
    expect(written).toEqual(['unknown']);
  });

  it('what a round wrote reaches the list even when the person signed in again while it ran', async () => {
    make();
    await service.refreshConfig();
    let release!: () => void;
    fake.hold = new Promise((done) => {
      release = done;
    });
    fake.next = [
      report('synced', {
        received: ['articles/a-received/article.json', 'articles/a-received/events.jsonl', 'office/policy/0002.json'],
        merged: ['a-merged'],
        conflicts: ['a-conflict'],
        invalidated: [{ articleId: 'a-undone', message: '通过已失效' }],
      }),
    ];
    await service.signedIn('s1', session());
    await vi.advanceTimersByTimeAsync(0);
    expect(service.status().phase).toBe('syncing');
    // A second sign-in of the same person (a script, another tab) while the round runs: its answer is set aside…
    await service.signedIn('s2', session());
    // The sign-in asks for a round at once, while this one still runs.
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.rounds).toBe(1);
    fake.hold = null;
    release();
    await vi.advanceTimersByTimeAsync(0);
    // …but the files it brought are on disk, and no later round brings them again.
    expect(written[0]).toEqual(['a-received', 'a-merged', 'a-conflict', 'a-undone']);
    // The new sign-in gets its own round, and the rounds go on from there.
    expect(fake.rounds).toBe(2);
    expect(service.status().phase).toBe('synced');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.rounds).toBe(3);
  });
});

describe('a sync conflict through the API', () => {
  const para = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

  it('shows both sides, and the decision is saved through the normal save path and clears the conflict', async () => {
    vi.useRealTimers();
    const office = await createOffice([{ who: 'writer', name: '张撰稿', roles: ['writer'] }]);
    try {
      const created = (await office.value('writer', 'articles:create', { template: 'blank' })) as unknown as Article;
      const base = { ...created, doc: { type: 'doc' as const, content: [para('第一段'), para('第二段')] } };
      await office.value('writer', 'articles:save', { id: created.id, meta: base.meta, doc: base.doc });
      const saved = await office.workspace.handlers['articles:get']({ id: created.id }, office.ctx('writer'));
      const mine = { ...saved, doc: { type: 'doc' as const, content: [para('第一段（本机改）'), para('第二段')] } };
      const theirs = { ...saved, doc: { type: 'doc' as const, content: [para('第一段（对方改）'), para('第二段')] } };
      await office.value('writer', 'articles:save', { id: created.id, meta: mine.meta, doc: mine.doc });
      const merged = mergeArticles(saved as Article, mine as Article, theirs as Article);
      expect(merged.hunks).toHaveLength(1);
      const file = {
        format: SYNC_CONFLICT_FORMAT,
        articleId: created.id,
        title: saved.meta.title,
        detectedAt: new Date().toISOString(),
        theirsBy: null,
        theirsAt: null,
        theirsCommit: 'f'.repeat(40),
        revisionId: null,
        docKey: docKeyOf(merged.article.doc.content),
        fields: merged.fields,
        hunks: merged.hunks,
      };
      writeFileSync(join(office.dir, 'articles', created.id, SYNC_CONFLICT_FILE), JSON.stringify(file));

      const view = await office.value('writer', 'sync:conflict', { articleId: created.id });
      expect(view?.hunks[0]).toMatchObject({ kind: 'both_changed' });
      expect(JSON.stringify(view?.hunks[0]?.theirs)).toContain('对方改');
      // Every hunk must be decided; nothing changes until it is.
      expect(await office.call('writer', 'sync:resolveConflict', { articleId: created.id, hunks: [], fields: [] })).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
      await office.value('writer', 'sync:resolveConflict', { articleId: created.id, hunks: [{ id: view!.hunks[0]!.id, take: 'both' }], fields: [] });
      const after = await office.workspace.handlers['articles:get']({ id: created.id }, office.ctx('writer'));
      expect(after.doc.content.map((b) => JSON.stringify(b))).toEqual([
        JSON.stringify(para('第一段（本机改）')),
        JSON.stringify(para('第一段（对方改）')),
        JSON.stringify(para('第二段')),
      ]);
      expect(await office.value('writer', 'sync:conflict', { articleId: created.id })).toBeNull();
      expect(existsSync(join(office.dir, 'articles', created.id, SYNC_CONFLICT_FILE))).toBe(false);
      // Not joined: the status says so and a round is refused with the reason.
      expect((await office.value('writer', 'sync:status', {})).phase).toBe('not_joined');
      expect(await office.call('writer', 'sync:now', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(await office.value('writer', 'sync:log', { limit: 10 })).toEqual([]);
    } finally {
      await office.close();
    }
  });
});

describe('what the sync tells the bell', () => {
  it('a conflict, a refusal, an undone approval and a revoked key reach the person the desktop syncs as, once each', async () => {
    vi.useRealTimers();
    const office = await createOffice([{ who: 'writer', name: '张撰稿', roles: ['writer'] }]);
    try {
      const created = (await office.value('writer', 'articles:create', { template: 'blank' })) as unknown as Article;
      const notices = new SyncNotices(office.dir);
      const minute = (n: number) => new Date(Date.now() - (10 - n) * 60_000).toISOString();
      const writerId = office.people.writer!.id;
      const refused = report('refused', { conflicts: [created.id], refused: [{ repo: 'u0123456789ab-drafts', reasons: ['拒绝：提交未签名'] }] });
      await notices.record(refused, writerId, minute(0), [created.id]);
      // The next rounds repeat the same refusal and the conflict is still open: nothing new to say.
      await notices.record(refused, writerId, minute(1), [created.id]);
      await notices.record(
        report('revoked', { invalidated: [{ articleId: created.id, message: '终审的批准不再有效' }], message: '您的密钥已被吊销' }),
        writerId,
        minute(2),
        [created.id],
      );
      const list = await office.value('writer', 'notifications:list', {});
      const kinds = list.items.filter((item) => item.kind.startsWith('sync')).map((item) => [item.kind, item.articleId]);
      expect(kinds.sort()).toEqual(
        [
          ['syncConflict', created.id],
          ['syncInvalidated', created.id],
          ['syncRefused', ''],
          ['syncRevoked', ''],
        ].sort(),
      );
      const texts = list.items.map((item) => item.text).join('\n');
      expect(texts).toContain('拒绝：提交未签名');
      expect(texts).toContain('您的密钥已被吊销');
      expect(texts).toContain('终审的批准不再有效');
      // Another person signed in here hears nothing of it.
      expect((await office.value('admin', 'notifications:list', {})).items.filter((item) => item.kind.startsWith('sync'))).toEqual([]);
    } finally {
      await office.close();
    }
  });

  describe('a package imported here, recorded as a commit naming it', () => {
    const SHA = 'c'.repeat(64);

    it('waits for a round that is running, then goes to the rounds’ worker; the round that sends it follows', async () => {
      make();
      await service.refreshConfig();
      await service.signedIn('s1', session());
      await vi.advanceTimersByTimeAsync(0);
      let release!: () => void;
      fake.hold = new Promise((done) => {
        release = done;
      });
      const round = service.roundNow();
      await vi.advanceTimersByTimeAsync(0);
      expect(fake.roundRunning).toBe(true);
      const here = vi.fn(async () => {});
      const written: string[] = [];
      const imported = service.exclusive(async () => {
        written.push('files written');
        await service.recordPackageImport('writer', SHA, ['a-imported'], here);
      });
      await vi.advanceTimersByTimeAsync(1000);
      // Nothing of the import is written while the round reads the workspace.
      expect(written).toEqual([]);
      fake.hold = null;
      release();
      await round;
      await imported;
      expect(written).toEqual(['files written']);
      expect(here).not.toHaveBeenCalled();
      expect(fake.imports).toEqual([{ sha256: SHA, articleIds: ['a-imported'], duringRound: false }]);
      await vi.advanceTimersByTimeAsync(0);
      expect(fake.rounds).toBe(3);
    });

    it('without rounds in this process is made here, and a round starting meanwhile waits for it', async () => {
      make();
      await service.refreshConfig();
      let finish!: () => void;
      const events: string[] = [];
      const here = () =>
        new Promise<void>((done) => {
          events.push('import started');
          finish = () => {
            events.push('import committed');
            done();
          };
        });
      const recorded = service.exclusive(() => service.recordPackageImport('writer', SHA, ['a-imported'], here));
      await vi.advanceTimersByTimeAsync(0);
      // The joined person signs in while the commit is being made: their first round waits for it.
      await service.signedIn('s1', session());
      await vi.advanceTimersByTimeAsync(1000);
      expect(fake.rounds).toBe(0);
      finish();
      await recorded;
      await vi.advanceTimersByTimeAsync(0);
      expect(fake.rounds).toBe(1);
      expect(events).toEqual(['import started', 'import committed']);
      expect(fake.imports).toEqual([]);
    });
  });
});
