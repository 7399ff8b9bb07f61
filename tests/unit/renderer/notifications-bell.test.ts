// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationItem, NotificationList, PublishJobView } from '../../../shared/api/contract';

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ api: { invoke: (...args: unknown[]) => invoke(...args), assetUrl: () => '' } }));

const { Bell } = await import('../../../renderer/src/notify/Bell');
const { inbox, desktopAnnouncer } = await import('../../../renderer/src/notify/app-inbox');
const { NotificationInbox } = await import('../../../renderer/src/notify/inbox');
const { screenStore } = await import('../../../renderer/src/state/navigation');
const { ArticlePublishing } = await import('../../../renderer/src/publish/article-publishing');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function notification(id: string, at: string, read = false, kind: NotificationItem['kind'] = 'returned'): NotificationItem {
  return {
    id,
    kind,
    articleId: `article-${id}`,
    title: `稿件${id}`,
    at,
    actor: { id: 'p2', name: '李初审' },
    text: `李初审退回了《稿件${id}》（初审）：请补充会议时间`,
    messageKey: 'notify.returned',
    params: { title: `稿件${id}`, actor: '李初审', stage: '初审', reason: '请补充会议时间' },
    read,
  };
}

const listOf = (...items: NotificationItem[]): NotificationList => ({ items, unread: items.filter((item) => !item.read).length });

describe('the inbox controller', () => {
  it('announces only what arrived since the last poll, not what was there at the first', async () => {
    let answer = listOf(notification('a', '2025-03-01T08:00:00.000Z'));
    const announced: string[][] = [];
    const controller = new NotificationInbox({
      invoke: (async () => answer) as never,
      handleSessionLoss: () => false,
      announce: (fresh) => announced.push(fresh.map((item) => item.id)),
    });
    controller.reset('p1');
    await controller.refresh();
    expect(controller.store.get().list?.unread).toBe(1);
    expect(announced).toEqual([]);

    answer = listOf(notification('b', '2025-03-01T09:00:00.000Z'), notification('a', '2025-03-01T08:00:00.000Z'));
    await controller.refresh();
    await controller.refresh();
    expect(announced).toEqual([['b']]);

    // Someone else signs in on this window: their existing notifications are not news either.
    controller.reset('p3');
    expect(controller.store.get().list).toBeNull();
    await controller.refresh();
    expect(announced).toEqual([['b']]);
  });

  it('keeps the last list and says why when a poll fails', async () => {
    let fail = false;
    const controller = new NotificationInbox({
      invoke: (async () => {
        if (fail) throw new Error('网络中断');
        return listOf(notification('a', '2025-03-01T08:00:00.000Z'));
      }) as never,
      handleSessionLoss: () => false,
      announce: null,
    });
    await controller.refresh();
    fail = true;
    await controller.refresh();
    expect(controller.store.get().list?.items.map((item) => item.id)).toEqual(['a']);
    expect(String(controller.store.get().error)).toContain('网络中断');
  });
});

describe('OS notifications', () => {
  it('are never offered in a browser tab (no preload bridge), even where the browser has the API', () => {
    const OsNotification = vi.fn() as unknown as typeof Notification;
    expect(desktopAnnouncer({ focus: () => {}, Notification: OsNotification })).toBeNull();
  });

  it('show the newest new item and how many more in the desktop app', () => {
    const shown: { title: string; body: string }[] = [];
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = vi.fn();
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string }) {
        shown.push({ title, body: options.body });
      }
    }
    const opened: string[] = [];
    const announce = desktopAnnouncer(
      { gazette: { invoke: vi.fn(), assetUrl: () => '', on: () => () => {} }, focus: () => {}, Notification: FakeNotification as unknown as typeof Notification },
      (item) => opened.push(item.id),
    );
    announce?.([notification('b', '2025-03-01T09:00:00.000Z'), notification('a', '2025-03-01T08:00:00.000Z')]);
    expect(shown).toHaveLength(1);
    expect(shown[0]?.body).toContain('李初审退回了《稿件b》（初审）：请补充会议时间');
    expect(shown[0]?.body).toContain('另有 1 条新通知');
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
  });
});

describe('the bell', () => {
  let root: Root | null = null;
  let host: HTMLElement;
  let marked: unknown[];

  beforeEach(() => {
    marked = [];
    let items = [notification('b', '2025-03-01T09:00:00.000Z'), notification('a', '2025-03-01T08:00:00.000Z', true, 'approved')];
    invoke.mockReset();
    invoke.mockImplementation(async (channel: string, request: { ids?: string[]; all?: boolean }) => {
      if (channel === 'notifications:list') return listOf(...items);
      if (channel === 'notifications:markRead') {
        marked.push(request);
        items = items.map((item) => (request.all || request.ids?.includes(item.id) ? { ...item, read: true } : item));
        return listOf(...items);
      }
      throw new Error(`unexpected ${channel}`);
    });
    screenStore.set({ name: 'list' });
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });

  afterEach(() => {
    act(() => root?.unmount());
    host.remove();
  });

  const bell = () => host.querySelector<HTMLButtonElement>('[data-testid="bell"]');

  async function render() {
    inbox.reset(`person-${Math.random()}`);
    await act(async () => inbox.refresh());
    await act(async () => root?.render(createElement(Bell)));
  }

  it('shows the unread count on the bell and in its accessible name', async () => {
    await render();
    expect(bell()?.getAttribute('aria-label')).toBe('通知，1 条未读');
    expect(host.querySelector('[data-testid="bell-count"]')?.textContent).toBe('1');
  });

  it('lists the notifications newest first; opening one opens its article and marks it read', async () => {
    await render();
    await act(async () => bell()?.click());
    const rows = [...host.querySelectorAll<HTMLButtonElement>('[data-testid="notification"]')];
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('李初审退回了《稿件b》（初审）：请补充会议时间'),
      expect.stringContaining('审核通过'),
    ]);
    expect(rows[0]?.textContent).toContain('未读');
    expect(rows[1]?.textContent).not.toContain('未读');

    await act(async () => rows[0]?.click());
    expect(screenStore.get()).toEqual({ name: 'editor', articleId: 'article-b' });
    expect(marked).toEqual([{ ids: ['b'] }]);
    expect(bell()?.getAttribute('aria-label')).toBe('通知');
    expect(host.querySelector('[data-testid="bell-count"]')).toBeNull();
  });

  it('marks everything read with 全部已读', async () => {
    await render();
    await act(async () => bell()?.click());
    const all = [...host.querySelectorAll('button')].find((button) => button.textContent === '全部已读');
    await act(async () => all?.click());
    expect(marked).toEqual([{ all: true }]);
    expect(bell()?.getAttribute('aria-label')).toBe('通知');
    expect(all?.disabled).toBe(true);
  });
});

describe('更新 goes where the article is online', () => {
  const job = (over: Partial<PublishJobView>): PublishJobView => ({
    id: '00000000-0000-4000-8000-000000000001',
    action: 'publish',
    articleId: 'art_123456',
    title: '标题',
    siteId: 'main',
    targetId: 'www',
    targetLabel: '门户网站',
    state: 'succeeded',
    attempts: 1,
    createdAt: '2025-03-01T08:00:00.000Z',
    notBefore: null,
    nextAttemptAt: '2025-03-01T08:00:00.000Z',
    error: null,
    receipt: null,
    ...over,
  });
  const receipt = (action: PublishJobView['action']) => ({
    jobId: 'x',
    targetId: 'www',
    action,
    remoteId: '1',
    url: '',
    at: '2025-03-01T08:00:01.000Z',
    contentHash: 'a'.repeat(64),
    verification: 'verified' as const,
    verificationDetail: '',
  });

  it('takes the targets whose last successful push was not a withdrawal', async () => {
    const jobs = [
      job({ id: '00000000-0000-4000-8000-000000000004', targetId: 'old', createdAt: '2025-03-02T08:00:00.000Z', action: 'withdraw', receipt: receipt('withdraw') }),
      job({ id: '00000000-0000-4000-8000-000000000003', targetId: 'wp', createdAt: '2025-03-01T10:00:00.000Z', state: 'failed' }),
      job({ id: '00000000-0000-4000-8000-000000000002', targetId: 'old', createdAt: '2025-03-01T09:00:00.000Z', receipt: receipt('publish') }),
      job({ id: '00000000-0000-4000-8000-000000000001', targetId: 'www', receipt: receipt('publish') }),
    ];
    const publishing = new ArticlePublishing('art_123456', {
      invoke: (async () => ({ jobs, targets: [] })) as never,
      flush: async () => true,
      proofreadingErrors: async () => [],
      showProofreadingGate: () => {},
      onSettled: () => {},
      handleSessionLoss: () => false,
    });
    await publishing.loadJobs();
    expect(publishing.store.get().liveOn).toEqual(['www']);
  });
});
