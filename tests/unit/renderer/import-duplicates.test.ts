// @vitest-environment jsdom
/// <reference lib="dom" />
import { File as NodeFile } from 'node:buffer';
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportOutcome } from '../../../shared/api/contract';
import type { ArticleSummary } from '../../../shared/domain/article';

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ api: { invoke: (...args: unknown[]) => invoke(...args), assetUrl: () => '' } }));

const { ImportDialog } = await import('../../../renderer/src/components/ImportDialog');
const { screenStore } = await import('../../../renderer/src/state/navigation');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TITLE = '新乡经开区召开全区领导干部会议';

function summary(id: string, title: string): ArticleSummary {
  return {
    id,
    title,
    column: [],
    status: 'draft',
    publishAt: '2021-05-20',
    source: '区党政办',
    createdAt: '2024-05-01T00:00:00.000Z',
    updatedAt: '2024-05-01T00:00:00.000Z',
    trashedAt: null,
    charCount: 10,
  };
}

function importedOutcome(file: string, id: string): ImportOutcome {
  return {
    ok: true,
    file,
    article: summary(id, TITLE),
    fields: { title: TITLE, subtitle: null, date: '2021-05-20', time: null, source: '区党政办', author: null, column: [], paragraphs: ['正文'] },
    unrecognised: [],
    warnings: [],
  };
}

function duplicateOutcome(file: string, trashed = false, reason: 'same-file' | 'same-article' = 'same-file'): ImportOutcome {
  return { ok: false, duplicate: true, file, reason, existing: { id: 'orig01', title: TITLE, trashed } };
}

let root: Root | null = null;
let host: HTMLElement;
let onImported: ReturnType<typeof vi.fn<() => void>>;
let onClose: ReturnType<typeof vi.fn<() => void>>;

beforeEach(() => {
  invoke.mockReset();
  onImported = vi.fn<() => void>();
  onClose = vi.fn<() => void>();
  screenStore.set({ name: 'list' });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root!.render(createElement(ImportDialog, { onClose, onImported })));
});

afterEach(() => {
  act(() => root?.unmount());
  host.remove();
});

function button(name: string | RegExp): HTMLButtonElement {
  const found = [...host.querySelectorAll('button')].find((b) => {
    const label = b.getAttribute('aria-label') ?? b.textContent ?? '';
    return typeof name === 'string' ? label === name || b.textContent === name : name.test(label);
  });
  if (!found) throw new Error(`no button ${String(name)}`);
  return found;
}

async function click(target: HTMLElement) {
  await act(async () => {
    target.click();
  });
}

async function paste(text: string) {
  const textarea = host.querySelector('textarea')!;
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(textarea, text);
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await click(button('识别并导入'));
}

async function pickFiles(names: string[]) {
  await click(button('选择文件'));
  const input = host.querySelector<HTMLInputElement>('input[type="file"]')!;
  // jsdom's File cannot give its bytes back (no arrayBuffer); Node's can, as a browser's does.
  const files = names.map((name) => new NodeFile([`内容 ${name}`], name, { type: 'text/plain' }));
  Object.defineProperty(input, 'files', { configurable: true, value: files });
  await act(async () => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  // Each file is read and sent in turn; let the run finish.
  for (let i = 0; i < 20 && !host.textContent?.includes('已处理'); i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
}

const summaryHeading = () => host.querySelector('.import-summary h3')?.textContent;
const duplicateRows = () => [...host.querySelectorAll('.import-duplicate')];

describe('import dialog and material already in the workspace', () => {
  it('lists a pasted duplicate apart from failures, and "仍然导入" sends it again on purpose', async () => {
    invoke.mockResolvedValueOnce(duplicateOutcome('粘贴的文本'));
    await paste('首页 / 要闻动态\n\n标题\n\n正文');
    expect(invoke).toHaveBeenLastCalledWith('import:text', { text: '首页 / 要闻动态\n\n标题\n\n正文', name: '粘贴的文本' });
    expect(summaryHeading()).toBe('已导入 0 篇，1 篇已存在未重复导入，失败 0 个');
    const [row] = duplicateRows();
    expect(row?.textContent).toContain(`已存在，未重复导入：《${TITLE}》`);
    expect(row?.textContent).toContain('同一文件已导入过');
    expect(host.querySelector('.import-failed')).toBeNull();
    expect(onImported).not.toHaveBeenCalled();

    invoke.mockResolvedValueOnce(importedOutcome('粘贴的文本', 'copy01'));
    await click(button(/^仍然导入/));
    expect(invoke).toHaveBeenLastCalledWith('import:text', {
      text: '首页 / 要闻动态\n\n标题\n\n正文',
      name: '粘贴的文本',
      allowDuplicate: true,
    });
    expect(duplicateRows()).toHaveLength(0);
    expect(summaryHeading()).toBe('已导入 1 篇，失败 0 个');
    expect(host.querySelector('.import-ok')?.textContent).toContain(TITLE);
    expect(onImported).toHaveBeenCalledTimes(1);
  });

  it('"打开" opens the existing article; one in the trash says so and opens the trash', async () => {
    invoke.mockResolvedValueOnce(duplicateOutcome('粘贴的文本', false, 'same-article'));
    await paste('正文');
    expect(duplicateRows()[0]?.textContent).toContain('标题、发布日期和正文与已有文稿相同');
    await click(button(`打开已有文稿《${TITLE}》`));
    expect(onClose).toHaveBeenCalled();
    expect(screenStore.get()).toEqual({ name: 'editor', articleId: 'orig01' });

    invoke.mockResolvedValueOnce(duplicateOutcome('粘贴的文本', true));
    await paste('正文');
    const row = duplicateRows()[0];
    expect(row?.textContent).toContain('在回收站中');
    await click(button('打开回收站'));
    expect(screenStore.get()).toEqual({ name: 'trash' });
  });

  it('a file run counts imported, duplicate and failed files apart and re-reads the file for "仍然导入"', async () => {
    invoke.mockImplementation(async (_channel: string, request: { name: string; allowDuplicate?: boolean }) => {
      if (request.name === 'old.txt' && !request.allowDuplicate) return duplicateOutcome('old.txt');
      if (request.name === 'bad.docx') return { ok: false, file: 'bad.docx', reason: '文件已损坏' };
      return importedOutcome(request.name, request.name === 'old.txt' ? 'copy02' : 'new001');
    });
    await pickFiles(['new.txt', 'old.txt', 'bad.docx']);
    expect(summaryHeading()).toBe('已导入 1 篇，1 篇已存在未重复导入，失败 1 个');
    expect(host.querySelector('progress')?.value).toBe(3);
    expect(host.querySelector('.import-failed')?.textContent).toContain('文件已损坏');
    expect(duplicateRows()).toHaveLength(1);
    expect(duplicateRows()[0]?.textContent).toContain('old.txt');

    await click(button('仍然导入“old.txt”'));
    const last = invoke.mock.lastCall as [string, { name: string; dataBase64: string; allowDuplicate: boolean }];
    expect(last[0]).toBe('import:file');
    expect(last[1].name).toBe('old.txt');
    expect(last[1].allowDuplicate).toBe(true);
    expect(Buffer.from(last[1].dataBase64, 'base64').toString('utf8')).toBe('内容 old.txt');
    expect(summaryHeading()).toBe('已导入 2 篇，失败 1 个');
  });
});
