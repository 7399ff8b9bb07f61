// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ api: { invoke: (...args: unknown[]) => invoke(...args), assetUrl: () => '' } }));

const { SignInScreen } = await import('../../../renderer/src/screens/SignInScreen');
const { sessionStore } = await import('../../../renderer/src/state/session');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let host: HTMLElement;

beforeEach(() => {
  invoke.mockReset();
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root?.unmount());
  host.remove();
});

function render(info: SessionInfo) {
  act(() => root!.render(createElement(SignInScreen, { info })));
}

function field(label: string): HTMLInputElement | HTMLSelectElement {
  const labelElement = [...host.querySelectorAll('label')].find((l) => l.textContent === label);
  const control = labelElement && (document.getElementById(labelElement.htmlFor) as HTMLInputElement | null);
  if (!control) throw new Error(`no field ${label}`);
  return control;
}

function type(label: string, value: string) {
  const input = field(label) as HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit() {
  await act(async () => {
    host.querySelector('form')!.requestSubmit();
  });
}

const admin = { id: 'p1', name: '刘管理', unit: '区党政办', roles: ['admin' as const, 'writer' as const], active: true, keyId: 'k1' };

describe('first-run setup', () => {
  it('refuses two different passwords without calling the services', async () => {
    render({ person: null, people: [], needsSetup: true });
    type('姓名', '刘管理');
    type('密码', 'secret-1');
    type('再次输入密码', 'secret-2');
    await submit();
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('两次输入的密码不一致');
    expect(invoke).not.toHaveBeenCalled();
  });

  it('creates the administrator and signs them in', async () => {
    invoke.mockResolvedValue({ person: admin, people: [admin], needsSetup: false });
    render({ person: null, people: [], needsSetup: true });
    type('姓名', ' 刘管理 ');
    type('单位', '区党政办');
    type('密码', 'secret-1');
    type('再次输入密码', 'secret-1');
    await submit();
    expect(invoke).toHaveBeenCalledWith('session:setup', { name: '刘管理', unit: '区党政办', password: 'secret-1' });
    const state = sessionStore.get();
    expect(state.kind === 'ready' && state.info.person?.name).toBe('刘管理');
  });
});

describe('sign-in', () => {
  it('shows the refusal as the services word it and clears the password', async () => {
    invoke.mockRejectedValue(new ApiError('unauthorized', '密码不正确，请重新输入'));
    render({ person: null, people: [admin], needsSetup: false });
    type('密码', 'wrong-password');
    await submit();
    expect(invoke).toHaveBeenCalledWith('session:signIn', { personId: 'p1', password: 'wrong-password' });
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('密码不正确，请重新输入');
    expect((field('密码') as HTMLInputElement).value).toBe('');
  });
});
