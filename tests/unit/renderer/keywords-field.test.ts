// @vitest-environment jsdom
import { act, createElement, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeywordsField } from '../../../renderer/src/components/KeywordsField';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
let latest: string[] = [];

function Harness({ initial }: { initial: string[] }) {
  const [value, setValue] = useState(initial);
  latest = value;
  return createElement(KeywordsField, { value, onChange: setValue });
}

function input(): HTMLInputElement {
  const element = container.querySelector('input');
  if (!element) throw new Error('no input');
  return element;
}

function type(text: string): void {
  const element = input();
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  act(() => {
    setter?.call(element, text);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function press(key: string, init: KeyboardEventInit = {}): void {
  act(() => {
    input().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));
  });
}

describe('KeywordsField', () => {
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  it('turns text before a comma or 顿号 into chips and keeps the rest in the box', () => {
    act(() => root.render(createElement(Harness, { initial: [] })));
    type('南水北调，生态、项');
    expect(latest).toEqual(['南水北调', '生态']);
    expect(input().value).toBe('项');
    type('项目');
    press('Enter');
    expect(latest).toEqual(['南水北调', '生态', '项目']);
    expect(input().value).toBe('');
  });

  it('does not add a chip when Enter only confirms an IME candidate', () => {
    act(() => root.render(createElement(Harness, { initial: [] })));
    type('shengtai');
    press('Enter', { isComposing: true });
    expect(latest).toEqual([]);
    expect(input().value).toBe('shengtai');
  });

  it('removes a chip with its × button and the last one with Backspace in an empty box', () => {
    act(() => root.render(createElement(Harness, { initial: ['生态', '项目', '招商'] })));
    const remove = container.querySelector<HTMLButtonElement>('button[aria-label*="项目"]');
    act(() => remove?.click());
    expect(latest).toEqual(['生态', '招商']);
    press('Backspace');
    expect(latest).toEqual(['生态']);
  });
});
