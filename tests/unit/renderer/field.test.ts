// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement, Fragment } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DialogButtons } from '../../../renderer/src/components/DialogButtons';
import { Field } from '../../../renderer/src/components/Field';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let host: HTMLElement;

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

function render(element: ReturnType<typeof createElement>) {
  act(() => root.render(element));
}

/** The control a label points at, as assistive technology finds it. */
function controlOf(labelText: string): HTMLElement {
  const label = [...host.querySelectorAll('label')].find((l) => l.textContent === labelText);
  const control = label ? document.getElementById(label.htmlFor) : null;
  if (!control) throw new Error(`no control labelled ${labelText}`);
  return control;
}

/** The text of the elements that describe a control (what a screen reader reads after its name). */
function descriptionOf(control: HTMLElement): string[] {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? `missing #${id}`);
}

const textField = (props: { label: string; hint?: string; error?: string | null }) =>
  // biome-ignore lint/correctness/noChildrenProp: without JSX (a .ts test), a typed render-prop child can only go in as a prop
  createElement(Field, { ...props, children: (control) => createElement('input', control) });

describe('Field', () => {
  it('ties each label to its own control', () => {
    render(createElement(Fragment, null, textField({ label: '姓名' }), textField({ label: '单位' })));
    const name = controlOf('姓名');
    const unit = controlOf('单位');
    expect(name.tagName).toBe('INPUT');
    expect(name).not.toBe(unit);
    expect(name.hasAttribute('aria-describedby')).toBe(false);
    expect(name.hasAttribute('aria-invalid')).toBe(false);
  });

  it('describes the control by its hint and its error, and announces the error', () => {
    render(textField({ label: '定时发布', hint: '留空则立即发布', error: '时间格式不正确' }));
    const input = controlOf('定时发布');
    expect(descriptionOf(input)).toEqual(['留空则立即发布', '时间格式不正确']);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('时间格式不正确');
  });

  it('drops the error from the description once it is cleared', () => {
    render(textField({ label: '版本名称', error: '请填写版本名称' }));
    render(textField({ label: '版本名称', error: null }));
    const input = controlOf('版本名称');
    expect(input.hasAttribute('aria-describedby')).toBe(false);
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(host.querySelector('[role="alert"]')).toBeNull();
  });
});

describe('DialogButtons', () => {
  it('with a form, confirming submits that form (so Enter in a field does the same)', () => {
    const submitted = vi.fn((event: Event) => event.preventDefault());
    const form = document.createElement('form');
    form.id = 'version-form';
    form.addEventListener('submit', submitted);
    document.body.append(form);
    render(createElement(DialogButtons, { confirmLabel: '保存', form: 'version-form', onCancel: () => {} }));
    const confirm = [...host.querySelectorAll('button')].find((b) => b.textContent === '保存');
    act(() => confirm?.click());
    expect(submitted).toHaveBeenCalledTimes(1);
    form.remove();
  });

  it('cancels, and confirms only when not busy', () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const buttons = (busy: boolean) => createElement(DialogButtons, { confirmLabel: '确定', busy, onConfirm, onCancel });
    render(buttons(true));
    const byText = (text: string) => [...host.querySelectorAll('button')].find((b) => b.textContent === text);
    act(() => byText('确定')?.click());
    expect(onConfirm).not.toHaveBeenCalled();
    act(() => byText('取消')?.click());
    expect(onCancel).toHaveBeenCalledTimes(1);
    render(buttons(false));
    act(() => byText('确定')?.click());
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
