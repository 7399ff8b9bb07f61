// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ArticleSyncState, SyncLogEntry, SyncRoundReport, SyncStatusView } from '../../../shared/api/contract/sync';
import { ApiError } from '../../../shared/api/errors';
import { translate } from '../../../shared/i18n';

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ api: { invoke: (...args: unknown[]) => invoke(...args), assetUrl: () => '' } }));

const { SyncController } = await import('../../../renderer/src/sync/sync-controller');
const { sync } = await import('../../../renderer/src/sync/app-sync');
const { SyncStatus } = await import('../../../renderer/src/sync/SyncStatus');
const { SignInScreen } = await import('../../../renderer/src/screens/SignInScreen');
const { phaseText, roundSummary } = await import('../../../renderer/src/sync/sync-text');
const { idsInSyncState, hasActiveFilters } = await import('../../../renderer/src/state/article-list');
const { sessionStore } = await import('../../../renderer/src/state/session');
const { screenStore } = await import('../../../renderer/src/state/navigation');
const { toastStore } = await import('../../../renderer/src/state/notifications');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const t = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key as never, params);

function status(over: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    phase: 'synced',
    serverUrl: 'http://127.0.0.1:8418/git/',
    pending: 0,
    conflicts: 0,
    lastSyncAt: '2026-03-01T08:00:00.000Z',
    lastAttemptAt: '2026-03-01T08:00:00.000Z',
    nextAttemptAt: '2026-03-01T08:01:00.000Z',
    message: null,
    repos: [{ name: 'dangzhengban-drafts', kind: 'drafts', unit: '区党政办', head: 'a1', lastSyncAt: null, pending: 0, problem: null }],
    ...over,
  };
}

function report(over: Partial<SyncRoundReport> = {}): SyncRoundReport {
  return { phase: 'synced', sent: [], received: [], merged: [], conflicts: [], refused: [], rejected: [], invalidated: [], message: null, ...over };
}

/** A fake main side: answers from these variables, counts calls per channel. */
function fakeMain() {
  const main = {
    status: status(),
    states: {} as Record<string, ArticleSyncState>,
    calls: [] as string[],
    failStatus: null as Error | null,
    invoke: (async (channel: string) => {
      main.calls.push(channel);
      if (channel === 'sync:status') {
        if (main.failStatus) throw main.failStatus;
        return main.status;
      }
      if (channel === 'sync:articleStates') return main.states;
      throw new Error(`unexpected ${channel}`);
    }) as never,
    count: (channel: string) => main.calls.filter((call) => call === channel).length,
  };
  return main;
}

describe('the sync controller', () => {
  it('asks for the per-article states only when the status says something moved', async () => {
    const main = fakeMain();
    const controller = new SyncController({ invoke: main.invoke, handleSessionLoss: () => false });
    controller.reset('p1');
    main.status = status({ phase: 'pending', pending: 1 });
    main.states = { a1: 'pending' };
    await controller.refresh();
    expect(controller.store.get().articleStates).toEqual({ a1: 'pending' });

    await controller.refresh();
    await controller.refresh();
    expect(main.count('sync:articleStates')).toBe(1);

    main.status = status({ phase: 'synced', lastSyncAt: '2026-03-01T08:05:00.000Z' });
    main.states = {};
    await controller.refresh();
    expect(main.count('sync:articleStates')).toBe(2);
    expect(controller.store.get().articleStates).toEqual({});
  });

  it('counts a change when a repository head moves, so lists reload what other desktops sent', async () => {
    const main = fakeMain();
    const controller = new SyncController({ invoke: main.invoke, handleSessionLoss: () => false });
    controller.reset('p1');
    await controller.refresh();
    await controller.refresh();
    expect(controller.store.get().changes).toBe(0);
    main.status = status({ repos: [{ ...status().repos[0]!, head: 'b2' }] });
    await controller.refresh();
    expect(controller.store.get().changes).toBe(1);
  });

  it('asks who is signed in again when a round brings a newer office policy, and not for other repositories', async () => {
    const main = fakeMain();
    const onPolicyMoved = vi.fn();
    const controller = new SyncController({ invoke: main.invoke, handleSessionLoss: () => false, onPolicyMoved });
    controller.reset('p1');
    const office = { name: 'office', kind: 'office' as const, unit: null, head: 'o1', lastSyncAt: null, pending: 0, problem: null };
    const drafts = status().repos[0]!;
    main.status = status({ repos: [office, drafts] });
    await controller.refresh();
    main.status = status({ repos: [office, { ...drafts, head: 'b2' }] });
    await controller.refresh();
    expect(onPolicyMoved).not.toHaveBeenCalled();
    main.status = status({ repos: [{ ...office, head: 'o2' }, { ...drafts, head: 'b2' }] });
    await controller.refresh();
    expect(onPolicyMoved).toHaveBeenCalledTimes(1);
  });

  it('keeps the last status when a poll fails, and says why', async () => {
    const main = fakeMain();
    const controller = new SyncController({ invoke: main.invoke, handleSessionLoss: () => false });
    controller.reset('p1');
    main.status = status({ phase: 'pending', pending: 2 });
    await controller.refresh();
    main.failStatus = new Error('连接中断');
    await controller.refresh();
    expect(controller.store.get().status?.pending).toBe(2);
    expect(String(controller.store.get().error)).toContain('连接中断');
  });

  it('forgets the last person’s status on sign-out and drops their late answers', async () => {
    let release: (value: SyncStatusView) => void = () => {};
    const controller = new SyncController({
      invoke: (() => new Promise<SyncStatusView>((resolve) => (release = resolve))) as never,
      handleSessionLoss: () => false,
    });
    controller.reset('p1');
    const pending = controller.refresh();
    controller.reset('p2');
    release(status({ phase: 'revoked' }));
    await pending;
    expect(controller.store.get().status).toBeNull();
  });

  it('runs one round at a time on 立即同步, then asks for the status again', async () => {
    let finish: (value: SyncRoundReport) => void = () => {};
    const calls: string[] = [];
    const controller = new SyncController({
      invoke: ((channel: string) => {
        calls.push(channel);
        if (channel === 'sync:now') return new Promise<SyncRoundReport>((resolve) => (finish = resolve));
        if (channel === 'sync:status') return Promise.resolve(status());
        return Promise.resolve({});
      }) as never,
      handleSessionLoss: () => false,
    });
    controller.reset('p1');
    const first = controller.syncNow();
    expect(controller.store.get().running).toBe(true);
    expect(await controller.syncNow()).toBeNull();
    finish(report({ sent: ['c1'] }));
    expect((await first)?.sent).toEqual(['c1']);
    expect(calls.filter((call) => call === 'sync:now')).toHaveLength(1);
    expect(calls.at(-1)).toBe('sync:articleStates');
    expect(calls).toContain('sync:status');
    expect(controller.store.get().running).toBe(false);
  });
});

describe('the words', () => {
  it('says each phase as the title bar shows it', () => {
    const counts = { pending: 3, conflicts: 2 };
    expect(phaseText(t, 'synced', counts)).toBe('已同步');
    expect(phaseText(t, 'pending', counts)).toBe('待同步 3');
    expect(phaseText(t, 'conflict', counts)).toBe('冲突 2');
    expect(phaseText(t, 'offline', counts)).toBe('离线');
    expect(phaseText(t, 'refused', counts)).toBe('服务器拒绝');
    expect(phaseText(t, 'revoked', counts)).toBe('已停用');
  });

  it('reports a refused round as a failure in the server’s words, never as done', () => {
    const summary = roundSummary(t, report({ phase: 'refused', refused: [{ repo: 'office', reasons: ['提交未签名 [unsigned]'] }] }));
    expect(summary).toEqual({ kind: 'error', text: '同步失败：提交未签名 [unsigned]' });
    expect(roundSummary(t, report({ phase: 'conflict', conflicts: ['a1'] })).kind).toBe('error');
    expect(roundSummary(t, report({ sent: ['c1'], received: ['articles/a1/article.json'] })).text).toBe(
      '同步完成：发送 1 项，接收 1 个文件，合并 0 篇。',
    );
  });
});

describe('the list’s sync filter', () => {
  it('asks for only the articles in the chosen state and counts as a filter', () => {
    const states: Record<string, ArticleSyncState> = { a1: 'conflict', a2: 'pending' };
    expect(idsInSyncState('conflict', states)).toEqual(['a1']);
    expect(idsInSyncState('', states)).toBeUndefined();
    expect(hasActiveFilters({ status: '', column: [], query: '', sync: 'conflict' })).toBe(true);
  });
});

describe('components', () => {
  let root: Root | null = null;
  let host: HTMLElement;

  beforeEach(() => {
    invoke.mockReset();
    toastStore.set([]);
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });

  afterEach(() => {
    act(() => root?.unmount());
    host.remove();
  });

  async function renderStatus(view: SyncStatusView) {
    invoke.mockImplementation(async (channel: string) => {
      if (channel === 'sync:status') return view;
      if (channel === 'sync:articleStates') return {};
      if (channel === 'sync:now') return report({ sent: ['c1', 'c2'] });
      if (channel === 'sync:log') {
        return [
          { at: '2026-03-01T08:05:00.000Z', kind: 'sent', repo: 'dangzhengban-submitted', articleIds: ['art_1'], message: '发送 1 篇' },
          { at: '2026-03-01T08:00:00.000Z', kind: 'joined', repo: null, articleIds: [], message: '已加入办公室' },
        ] satisfies SyncLogEntry[];
      }
      throw new Error(`unexpected ${channel}`);
    });
    sync.reset(`person-${Math.random()}`);
    await act(async () => sync.refresh());
    await act(async () => root?.render(createElement(SyncStatus)));
  }

  it('shows nothing on a workspace that has not joined an office', async () => {
    await renderStatus(status({ phase: 'not_joined', serverUrl: null, repos: [] }));
    expect(host.querySelector('[data-testid="sync-status"]')).toBeNull();
  });

  it('says the state in a polite live region and the details on hover', async () => {
    await renderStatus(status({ phase: 'offline', message: '无法连接服务器' }));
    const live = host.querySelector('[role="status"]');
    expect(live?.getAttribute('aria-live')).toBe('polite');
    expect(live?.textContent).toBe('同步状态：离线');
    const pill = host.querySelector<HTMLButtonElement>('[data-testid="sync-phase"]');
    expect(pill?.textContent).toBe('离线');
    expect(pill?.title).toContain('服务器：http://127.0.0.1:8418/git/');
    expect(pill?.title).toContain('无法连接服务器');
  });

  it('syncs on 立即同步 and says what was sent', async () => {
    await renderStatus(status({ phase: 'pending', pending: 2 }));
    expect(host.querySelector('[data-testid="sync-phase"]')?.textContent).toBe('待同步 2');
    await act(async () => host.querySelector<HTMLButtonElement>('[data-testid="sync-now"]')?.click());
    expect(invoke).toHaveBeenCalledWith('sync:now', {});
    expect(toastStore.get().map((toast) => toast.text)).toContain('同步完成：发送 2 项，接收 0 个文件，合并 0 篇。');
  });

  it('opens the log from the status, newest first; an article in it opens in the editor', async () => {
    screenStore.set({ name: 'list' });
    await renderStatus(status());
    await act(async () => host.querySelector<HTMLButtonElement>('[data-testid="sync-phase"]')?.click());
    const dialog = host.querySelector('[role="dialog"]');
    expect(dialog?.textContent).toContain('同步记录');
    const rows = [...host.querySelectorAll('[data-testid="sync-log-entry"]')];
    expect(rows.map((row) => row.getAttribute('data-kind'))).toEqual(['sent', 'joined']);
    const link = [...rows[0]!.querySelectorAll('button')].find((button) => button.textContent === 'art_1');
    await act(async () => link?.click());
    expect(screenStore.get()).toEqual({ name: 'editor', articleId: 'art_1' });
    expect(host.querySelector('[role="dialog"]')).toBeNull();
  });

  it('offers a revoked person their unsynced work as a package', async () => {
    invoke.mockImplementation(async (channel: string) => {
      if (channel === 'sync:status') return status({ phase: 'revoked', message: '您的密钥已被吊销' });
      if (channel === 'sync:articleStates') return { art_1: 'pending', art_2: 'local_only' };
      if (channel === 'sync:log') return [];
      throw new Error(`unexpected ${channel}`);
    });
    sync.reset(`person-${Math.random()}`);
    await act(async () => sync.refresh());
    await act(async () => root?.render(createElement(SyncStatus)));
    expect(host.querySelector<HTMLButtonElement>('[data-testid="sync-now"]')?.disabled).toBe(true);
    await act(async () => host.querySelector<HTMLButtonElement>('[data-testid="sync-phase"]')?.click());
    const hint = host.querySelector('[data-testid="sync-revoked"]');
    expect(hint?.textContent).toContain('可导出为传输包');
    expect(hint?.textContent).toContain('导出未同步的文稿为传输包（2 篇）');
  });

  describe('joining on a fresh desktop', () => {
    const fresh = { person: null, people: [], needsSetup: true };

    function joinForm(): HTMLFormElement {
      const form = [...host.querySelectorAll('form')].find((f) => f.textContent?.includes('加入办公室服务器'));
      if (!form) throw new Error('no join form');
      return form;
    }

    function field(label: string): HTMLInputElement {
      const form = joinForm();
      const labelElement = [...form.querySelectorAll('label')].find((l) => l.textContent === label);
      const control = labelElement && (document.getElementById(labelElement.htmlFor) as HTMLInputElement | null);
      if (!control) throw new Error(`no field ${label}`);
      return control;
    }

    function type(label: string, value: string) {
      const input = field(label);
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      act(() => {
        setter.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    }

    async function open() {
      await act(async () => root?.render(createElement(SignInScreen, { info: fresh })));
      const choice = [...host.querySelectorAll('button')].find((button) => button.textContent === '加入办公室服务器');
      await act(async () => choice?.click());
      expect(choice?.getAttribute('aria-pressed')).toBe('true');
    }

    it('refuses an address that is not http(s) without asking the services', async () => {
      await open();
      type('服务器地址', '192.168.1.20:8418/git/');
      type('人员编号', 'pWriter');
      type('密码', 'secret-pass');
      await act(async () => joinForm().requestSubmit());
      expect(joinForm().querySelector('[role="alert"]')?.textContent).toBe('请填写以 http:// 或 https:// 开头的服务器地址');
      expect(invoke).not.toHaveBeenCalled();
    });

    it('shows a refusal in plain words and keeps everything typed', async () => {
      invoke.mockRejectedValue(new ApiError('unauthorized', '密码不正确：服务器不接受该人员的登录'));
      await open();
      type('服务器地址', 'http://10.0.0.5:8418/git/');
      type('人员编号', 'pWriter ');
      type('密码', 'wrong-pass');
      await act(async () => joinForm().requestSubmit());
      expect(invoke).toHaveBeenCalledWith('office:join', { url: 'http://10.0.0.5:8418/git/', personId: 'pWriter', password: 'wrong-pass' });
      expect(joinForm().querySelector('[role="alert"]')?.textContent).toBe('密码不正确：服务器不接受该人员的登录');
      expect(field('服务器地址').value).toBe('http://10.0.0.5:8418/git/');
      expect(field('人员编号').value).toBe('pWriter ');
      expect(field('密码').value).toBe('wrong-pass');
    });

    it('signs the person in once joined', async () => {
      const person = { id: 'pWriter', name: '王撰稿', unit: '区党政办', roles: ['writer' as const], active: true, keyId: 'k1' };
      invoke.mockResolvedValue({ person, people: [person], needsSetup: false });
      await open();
      type('服务器地址', 'http://10.0.0.5:8418/git/');
      type('人员编号', 'pWriter');
      type('密码', 'right-pass');
      await act(async () => joinForm().requestSubmit());
      const state = sessionStore.get();
      expect(state.kind === 'ready' && state.info.person?.id).toBe('pWriter');
    });

    it('keeps what was typed in the setup form while the join form is shown', async () => {
      await act(async () => root?.render(createElement(SignInScreen, { info: fresh })));
      const setupName = [...host.querySelectorAll('label')].find((l) => l.textContent === '姓名');
      const input = document.getElementById(setupName!.htmlFor) as HTMLInputElement;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      act(() => {
        setter.call(input, '刘管理');
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      const buttons = [...host.querySelectorAll('button')];
      await act(async () => buttons.find((b) => b.textContent === '加入办公室服务器')?.click());
      await act(async () => buttons.find((b) => b.textContent === '在本机新建办公室')?.click());
      expect((document.getElementById(setupName!.htmlFor) as HTMLInputElement).value).toBe('刘管理');
    });
  });
});
