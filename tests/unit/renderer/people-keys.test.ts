// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PersonKeyView, PersonSummary } from '../../../shared/api/contract';
import { defaultReviewChain } from '../../../shared/workflow/review-chain';

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ api: { invoke: (...args: unknown[]) => invoke(...args), assetUrl: () => '' } }));

const { AdminSettings } = await import('../../../renderer/src/review/AdminSettings');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const reviewer: PersonSummary = { id: 'p2', name: '李审核', unit: '', roles: ['reviewer'], active: true, keyId: 'b'.repeat(32) };
const current: PersonKeyView = {
  personId: 'p2',
  keyId: 'b'.repeat(32),
  validFrom: '2025-03-01T08:00:00.000Z',
  revokedAt: null,
  revokedReason: '',
  held: true,
};
const revoked: PersonKeyView = {
  personId: 'p2',
  keyId: 'a'.repeat(32),
  validFrom: '2025-01-01T08:00:00.000Z',
  revokedAt: '2025-03-01T08:00:00.000Z',
  revokedReason: '重置密码：李审核（原密钥自此吊销）',
  held: false,
};

let keys: PersonKeyView[];
let root: Root | null = null;
let host: HTMLElement;

beforeEach(() => {
  keys = [revoked, current];
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string, payload: { keyId?: string; reason?: string }) => {
    if (channel === 'people:list') return [reviewer];
    if (channel === 'people:keys') return keys;
    if (channel === 'review:chainGet') return defaultReviewChain();
    if (channel === 'session:get') return { person: null, people: [], needsSetup: false };
    if (channel === 'people:revokeKey') {
      keys = keys.map((k) => (k.keyId === payload.keyId ? { ...k, revokedAt: '2025-03-02T08:00:00.000Z', revokedReason: payload.reason ?? '', held: false } : k));
      return { revokedAt: '2025-03-02T08:00:00.000Z' };
    }
    throw new Error(`unexpected ${channel}`);
  });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root?.unmount());
  host.remove();
});

async function render() {
  await act(async () => root!.render(createElement(AdminSettings)));
}

function keyRows(): HTMLElement[] {
  return [...host.querySelectorAll<HTMLElement>('[data-testid="person-key"]')];
}

function button(name: string): HTMLButtonElement {
  const found = [...host.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

async function click(target: HTMLElement) {
  await act(async () => target.click());
}

function typeReason(value: string) {
  const textarea = host.querySelector('[role="dialog"] textarea') as HTMLTextAreaElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(textarea, value);
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('signing keys on the people screen', () => {
  it('shows each key by its short id with when it became valid, and a revoked one with when and why', async () => {
    await render();
    const rows = keyRows();
    expect(rows.map((row) => row.querySelector('code')?.textContent)).toEqual(['bbbbbbbb', 'aaaaaaaa']);
    expect(rows[0]?.textContent).toContain('起有效');
    expect(rows[0]?.querySelector('button')?.textContent).toBe('吊销密钥');
    expect(rows[1]?.textContent).toContain('吊销：重置密码：李审核（原密钥自此吊销）');
    // A revoked key cannot be revoked again.
    expect(rows[1]?.querySelector('button')).toBeNull();
  });

  it('asks for the reason before revoking: an empty one is refused without calling the services', async () => {
    await render();
    await click(button('吊销密钥 bbbbbbbb（李审核）'));
    expect(host.querySelector('[role="dialog"]')?.textContent).toContain('此前的签名仍然有效');
    await click(button('吊销'));
    expect(host.querySelector('[role="dialog"] [role="alert"]')?.textContent).toBe('请填写吊销原因');
    expect(invoke).not.toHaveBeenCalledWith('people:revokeKey', expect.anything());

    typeReason('  笔记本电脑遗失 ');
    await click(button('吊销'));
    expect(invoke).toHaveBeenCalledWith('people:revokeKey', { personId: 'p2', keyId: 'b'.repeat(32), reason: '笔记本电脑遗失' });
    expect(host.querySelector('[role="dialog"]')).toBeNull();
    const rows = keyRows();
    expect(rows[0]?.textContent).toContain('吊销：笔记本电脑遗失');
    expect(host.querySelectorAll('[data-testid="person-key"] button')).toHaveLength(0);
  });
});
