// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { Editor } from '@tiptap/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Doc } from '../../../shared/domain/doc';
import { ArticleEditor } from '../../../renderer/src/editor/ArticleEditor';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let host: HTMLElement | null = null;

afterEach(() => {
  act(() => root?.unmount());
  host?.remove();
  root = null;
});

function mount(initialDoc: Doc, locale: 'zh-CN' | 'en' = 'zh-CN') {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  act(() => {
    root!.render(
      createElement(ArticleEditor, {
        initialDoc,
        onChange: vi.fn(),
        addAsset: vi.fn(async () => ({ src: 'assets/x.png' })),
        resolveSrc: (src: string) => src,
        locale,
      }),
    );
  });
  const toolbar = host.querySelector('[role="toolbar"]') as HTMLElement;
  return { host, toolbar };
}

const doc: Doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '会议强调' }] }] };
const items = (toolbar: HTMLElement) => Array.from(toolbar.querySelectorAll<HTMLElement>('[data-toolbar-item]'));
const press = (target: HTMLElement, key: string) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  });

describe('the editor toolbar', () => {
  it('draws every button as an SVG icon named by its action and shortcut, with the name as text to fall back on', () => {
    const { toolbar } = mount(doc);
    const buttons = Array.from(toolbar.querySelectorAll<HTMLButtonElement>('button.gz-tool'));
    expect(buttons.length).toBeGreaterThan(15);
    for (const button of buttons) {
      expect(button.querySelector('svg')).not.toBeNull();
      expect(button.querySelector('.gz-tool-fallback')?.textContent).not.toBe('');
      // No symbol characters that a font may lack: the only text is the fallback name.
      expect(button.textContent).toBe(button.querySelector('.gz-tool-fallback')?.textContent);
    }
    const bold = toolbar.querySelector('button[aria-label^="加粗"]');
    expect(bold?.getAttribute('title')).toBe('加粗（Ctrl+B）');
    expect(bold?.getAttribute('aria-keyshortcuts')).toBe('Control+B');
    for (const name of ['链接（Ctrl+K）', '插入图片', '插入表格']) {
      expect(toolbar.querySelector(`button[aria-label="${name}"] svg`), name).not.toBeNull();
    }
  });

  it('names the actions in English when the interface is English', () => {
    const { toolbar } = mount(doc, 'en');
    expect(toolbar.querySelector('button[title="Bold (Ctrl+B)"] .gz-tool-fallback')?.textContent).toBe('Bold');
  });

  it('is one Tab stop; arrow keys, Home and End move between the enabled items', () => {
    const { toolbar } = mount(doc);
    const tabStops = () => items(toolbar).filter((item) => item.tabIndex === 0);
    expect(tabStops()).toHaveLength(1);
    const enabled = items(toolbar).filter((item) => !(item as HTMLButtonElement).disabled);
    const first = tabStops()[0] as HTMLElement;
    expect(first).toBe(enabled[0]);

    act(() => first.focus());
    press(first, 'ArrowRight');
    expect(document.activeElement).toBe(enabled[1]);
    expect(tabStops()).toEqual([enabled[1]]);
    press(document.activeElement as HTMLElement, 'ArrowLeft');
    expect(document.activeElement).toBe(enabled[0]);
    press(document.activeElement as HTMLElement, 'ArrowLeft');
    expect(document.activeElement).toBe(enabled.at(-1));
    press(document.activeElement as HTMLElement, 'Home');
    expect(document.activeElement).toBe(enabled[0]);
    press(document.activeElement as HTMLElement, 'End');
    expect(document.activeElement).toBe(enabled.at(-1));
    expect(tabStops()).toEqual([enabled.at(-1)]);
    // Disabled buttons (e.g. 撤销 with nothing to undo) are skipped, never the Tab stop.
    expect(items(toolbar).filter((item) => (item as HTMLButtonElement).disabled && item.tabIndex === 0)).toEqual([]);
  });

  it('follows the text: after typing 撤销 is enabled, and 加粗 shows pressed once the selection is bold', async () => {
    const { host, toolbar } = mount(doc);
    const editor = (host.querySelector('.ProseMirror') as HTMLElement & { editor: Editor }).editor;
    const undo = toolbar.querySelector<HTMLButtonElement>('button[aria-label^="撤销"]')!;
    const bold = toolbar.querySelector<HTMLButtonElement>('button[aria-label^="加粗"]')!;
    expect(undo.disabled).toBe(true);
    expect(bold.getAttribute('aria-pressed')).toBe('false');
    act(() => {
      editor.chain().setTextSelection(3).insertContent('字').run();
    });
    await vi.waitFor(() => expect(undo.disabled).toBe(false));
    act(() => {
      editor.chain().setTextSelection({ from: 1, to: 3 }).toggleBold().run();
    });
    // A button's own effect shows without waiting for a pause in typing.
    await vi.waitFor(() => expect(bold.getAttribute('aria-pressed')).toBe('true'), { timeout: 100 });
  });
});
