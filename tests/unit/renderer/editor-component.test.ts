// @vitest-environment jsdom
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Editor } from '@tiptap/core';
import { act, createElement, createRef } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Doc } from '../../../shared/domain/doc';
import { ArticleEditor, type ArticleEditorHandle } from '../../../renderer/src/editor/ArticleEditor';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let host: HTMLElement | null = null;

afterEach(() => {
  act(() => root?.unmount());
  host?.remove();
  root = null;
});

function mount(initialDoc: Doc, onChange = vi.fn(), onEditStarted = vi.fn()) {
  host = document.createElement('div');
  document.body.appendChild(host);
  const handle = createRef<ArticleEditorHandle>();
  const addAsset = vi.fn(async (file: File) => ({ src: `assets/${file.name}` }));
  root = createRoot(host);
  act(() => {
    root!.render(
      createElement(ArticleEditor, {
        ref: handle,
        initialDoc,
        onChange,
        onEditStarted,
        addAsset,
        resolveSrc: (src: string) => `gazette-asset://a/${src}`,
        locale: 'zh-CN',
      }),
    );
  });
  const dom = host.querySelector('.ProseMirror') as (HTMLElement & { editor?: Editor }) | null;
  const editor = dom?.editor;
  if (!editor) throw new Error('editor did not mount');
  return { handle, editor, onChange, addAsset, host };
}

const doc = (...content: Doc['content']): Doc => ({ type: 'doc', content });
const text = (t: string) => ({ type: 'text', text: t });

/** Types like a user does: through the view's text input handler, so input rules run. */
function typeText(editor: Editor, value: string) {
  for (const ch of value) {
    const { from, to } = editor.state.selection;
    const handled = editor.view.someProp('handleTextInput', (f) => f(editor.view, from, to, ch, () => editor.state.tr.insertText(ch, from, to)));
    if (!handled) editor.view.dispatch(editor.state.tr.insertText(ch, from, to));
  }
}

describe('ArticleEditor', () => {
  it('loads a doc and gives back the same content, attributes included', () => {
    const initial = doc(
      { type: 'heading', attrs: { level: 2, textAlign: 'center' }, content: [text('会议强调')] },
      { type: 'paragraph', attrs: { textAlign: null, role: 'attendees' }, content: [text('共计150余人参加会议。')] },
      { type: 'image', attrs: { src: 'assets/a.jpg', alt: '会议现场', title: null, caption: '会议现场照片' } },
    );
    const { handle } = mount(initial);
    const out = handle.current!.getDoc();
    expect(out.content[0]).toMatchObject({ type: 'heading', attrs: { level: 2, textAlign: 'center' } });
    expect(out.content[1]).toMatchObject({ type: 'paragraph', attrs: { role: 'attendees' }, content: [text('共计150余人参加会议。')] });
    expect(out.content[2]).toMatchObject({ type: 'image', attrs: { src: 'assets/a.jpg', alt: '会议现场', caption: '会议现场照片' } });
  });

  it('keeps full-width punctuation exactly as typed (no input rule rewrites it)', () => {
    const { editor, handle } = mount(doc({ type: 'paragraph' }));
    editor.commands.setTextSelection(1);
    const typed = '站在增强“四个意识”、坚定‘四个自信’，——（一）：；！？…《通知》';
    typeText(editor, typed);
    const out = handle.current!.getDoc();
    expect(out.content).toHaveLength(1);
    expect(out.content[0]?.content).toEqual([text(typed)]);
  });

  it('calls onChange debounced, and at once when the doc is asked for', async () => {
    const onChange = vi.fn();
    const { editor, handle } = mount(doc({ type: 'paragraph', content: [text('正文')] }), onChange);
    editor.commands.insertContentAt(3, '内容');
    expect(onChange).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0]?.[0].content[0].content[0].text).toBe('正文内容');
    editor.commands.insertContentAt(1, '新');
    handle.current!.flush();
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(onChange.mock.calls[1]?.[0].content[0].content[0].text).toBe('新正文内容');
  });

  it('says at once that an edit was made, once per report, before the debounced onChange', async () => {
    const onChange = vi.fn();
    const onEditStarted = vi.fn();
    const { editor } = mount(doc({ type: 'paragraph', content: [text('正文')] }), onChange, onEditStarted);
    editor.commands.insertContentAt(3, '内');
    editor.commands.insertContentAt(4, '容');
    expect(onEditStarted).toHaveBeenCalledTimes(1);
    expect(onChange).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(onChange).toHaveBeenCalledTimes(1);
    editor.commands.insertContentAt(1, '新');
    expect(onEditStarted).toHaveBeenCalledTimes(2);
  });

  it('delivers pending changes when unmounted', () => {
    const onChange = vi.fn();
    const { editor } = mount(doc({ type: 'paragraph', content: [text('正文')] }), onChange);
    editor.commands.insertContentAt(3, '末尾');
    act(() => root?.unmount());
    root = null;
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0]?.[0].content[0].content[0].text).toBe('正文末尾');
  });

  it('creates, refreshes and removes the attendees paragraph without touching other text', () => {
    const { handle } = mount(doc({ type: 'paragraph', content: [text('会议要求，抓好落实。')] }));
    act(() => handle.current!.setAttendeesParagraph('区领导班子参加会议。'));
    let out = handle.current!.getDoc();
    expect(out.content.map((n) => n.content?.[0]?.text)).toEqual(['会议要求，抓好落实。', '区领导班子参加会议。']);
    expect(out.content[1]?.attrs?.role).toBe('attendees');
    act(() => handle.current!.setAttendeesParagraph('区领导班子、各部门负责人参加会议。'));
    out = handle.current!.getDoc();
    expect(out.content.filter((n) => n.attrs?.role === 'attendees')).toHaveLength(1);
    expect(out.content[1]?.content?.[0]?.text).toBe('区领导班子、各部门负责人参加会议。');
    act(() => handle.current!.setAttendeesParagraph(''));
    out = handle.current!.getDoc();
    expect(out.content.map((n) => n.content?.[0]?.text)).toEqual(['会议要求，抓好落实。']);
  });

  it('does not copy the attendees role to a paragraph split off with Enter', () => {
    const { editor, handle } = mount(doc({ type: 'paragraph', attrs: { role: 'attendees' }, content: [text('参会人员')] }));
    editor.commands.setTextSelection(5);
    editor.commands.splitBlock();
    const out = handle.current!.getDoc();
    expect(out.content).toHaveLength(2);
    expect(out.content[0]?.attrs?.role).toBe('attendees');
    expect(out.content[1]?.attrs?.role ?? null).toBeNull();
  });

  it('keeps the text of a doc with node types the editor does not know, and says so', () => {
    const { handle, host } = mount(
      doc({ type: 'callout', content: [{ type: 'paragraph', content: [text('未知节点里的文字')] }] }, { type: 'paragraph', content: [text('普通段落')] }),
    );
    const out = handle.current!.getDoc();
    const texts = out.content.map((n) => n.content?.[0]?.text);
    expect(texts).toContain('未知节点里的文字');
    expect(texts).toContain('普通段落');
    expect(host.textContent).toContain('文稿中有编辑器不认识的格式');
  });

  it('cleans a Word paste into lists and tables and reports the images it could not bring over', () => {
    const { editor, handle, host } = mount(doc({ type: 'paragraph' }));
    const word = readFileSync(join(__dirname, '../../fixtures/paste/word.html'), 'utf8');
    act(() => {
      // jsdom has no ClipboardEvent; ProseMirror only needs an event object.
      editor.view.pasteHTML(word, new Event('paste') as ClipboardEvent);
    });
    const out = handle.current!.getDoc();
    const types = out.content.map((n) => n.type);
    expect(types).toContain('heading');
    expect(types).toContain('bulletList');
    expect(types).toContain('orderedList');
    expect(types).toContain('table');
    expect(JSON.stringify(out)).toContain('“四个意识”、坚定“四个自信”');
    expect(JSON.stringify(out)).not.toMatch(/mso-|file:/);
    expect(host.textContent).toContain('有 1 张图片无法从剪贴板带入');
  });

  it('shows the toolbar in Chinese with shortcuts and a missing-alt hint on images without alt text', () => {
    const { host } = mount(doc({ type: 'image', attrs: { src: 'assets/b.png', alt: '' } }, { type: 'paragraph' }));
    const bold = host.querySelector('button[aria-label^="加粗"]');
    expect(bold?.getAttribute('title')).toMatch(/加粗（Ctrl\+B）/);
    expect(host.textContent).toContain('缺少替代文本');
    expect(host.querySelector('.gz-image img')?.getAttribute('src')).toBe('gazette-asset://a/assets/b.png');
  });
});
