// @vitest-environment jsdom
import { act, createElement, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DateTimeField } from '../../../renderer/src/components/DateTimeField';
import { normalizeDateInput, normalizeTimeInput } from '../../../renderer/src/state/datetime';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
let stored: string | null = null;

function Harness({ initial }: { initial: string | null }) {
  const [value, setValue] = useState(initial);
  stored = value;
  return createElement(DateTimeField, { value, onChange: setValue, dateLabel: '发布日期', timeLabel: '时间' });
}

const dateInput = () => container.querySelectorAll('input')[0] as HTMLInputElement;
const timeInput = () => container.querySelectorAll('input')[1] as HTMLInputElement;

function type(element: HTMLInputElement, text: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  act(() => {
    setter?.call(element, text);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function leave(element: HTMLInputElement): void {
  act(() => {
    element.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  });
}

beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

describe('date and time fields in the interface’s format, not the browser’s', () => {
  it('shows the stored value as YYYY-MM-DD and 24-hour HH:mm in plain text fields (no mm/dd/yyyy, no AM/PM)', () => {
    act(() => root.render(createElement(Harness, { initial: '2021-05-20T21:30' })));
    expect(dateInput().type).toBe('text');
    expect(timeInput().type).toBe('text');
    expect(dateInput().value).toBe('2021-05-20');
    expect(timeInput().value).toBe('21:30');
    expect(dateInput().placeholder).toBe('YYYY-MM-DD');
    expect(timeInput().placeholder).toBe('HH:mm');
    expect(container.querySelector('input[type="date"], input[type="time"], input[type="datetime-local"]')).toBeNull();
  });

  it('reads the ways people type a date and a time, and writes them out in the fixed form on leaving the field', () => {
    act(() => root.render(createElement(Harness, { initial: null })));
    type(dateInput(), '2024/5/9');
    expect(stored).toBe('2024-05-09');
    leave(dateInput());
    expect(dateInput().value).toBe('2024-05-09');
    type(timeInput(), '9:05');
    expect(stored).toBe('2024-05-09T09:05');
    leave(timeInput());
    expect(timeInput().value).toBe('09:05');
  });

  it('says what is wrong with a date it cannot read, keeps the text, and keeps the last good value stored', () => {
    act(() => root.render(createElement(Harness, { initial: '2021-05-20' })));
    type(dateInput(), '2021-02-30');
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('日期无效');
    expect(dateInput().value).toBe('2021-02-30');
    expect(stored).toBe('2021-05-20');
    expect(dateInput().getAttribute('aria-invalid')).toBe('true');
  });

  it('normalises only what it can read without guessing', () => {
    expect(normalizeDateInput('2024年5月9日')).toBe('2024-05-09');
    expect(normalizeDateInput('2024.05.09')).toBe('2024-05-09');
    expect(normalizeDateInput('05/09/2024')).toBe('05/09/2024');
    expect(normalizeTimeInput('9点05')).toBe('09:05');
    expect(normalizeTimeInput('09:30:15')).toBe('09:30');
    expect(normalizeTimeInput('3:05 PM')).toBe('3:05 PM');
  });
});
