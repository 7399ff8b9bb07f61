// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportOutcome } from '../../../shared/api/contract';
import { note, noteText } from '../../../shared/i18n/note';

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ api: { invoke: (...args: unknown[]) => invoke(...args), assetUrl: () => '' } }));

const { ImportDialog } = await import('../../../renderer/src/components/ImportDialog');
const { screenStore } = await import('../../../renderer/src/state/navigation');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TITLE = '县政府召开第十二次常务会议';

/** What the service answers for a page that names 发布机构 but no 来源 and contradicts itself on the date. */
function outcome(): ImportOutcome {
  const warningMessages = [
    note('importNote.uncertain.date', { candidates: '“2020-07-01”、“2020-06-30”' }),
    note('importNote.publisherNotSource', { publisher: '柳岸县人民政府办公室' }),
    note('importNote.indexNo', { indexNo: '11410721MB1234567P/2020-00031' }),
    note('importNote.reviews', { lines: '一审：陈晨　二审：杨帆' }),
  ];
  return {
    ok: true,
    file: '粘贴的文本',
    article: {
      id: 'a1',
      title: TITLE,
      column: [],
      status: 'draft',
      publishAt: null,
      source: '',
      createdAt: '2024-05-01T00:00:00.000Z',
      updatedAt: '2024-05-01T00:00:00.000Z',
      trashedAt: null,
      charCount: 10,
    },
    fields: {
      title: TITLE,
      subtitle: null,
      date: null,
      time: null,
      source: null,
      author: null,
      column: ['首页', '政务公开'],
      paragraphs: ['正文'],
      publisher: '柳岸县人民政府办公室',
      disclosure: {
        indexNo: '11410721MB1234567P/2020-00031',
        publisher: '柳岸县人民政府办公室',
        docNo: null,
        writtenAt: null,
        topic: null,
        genre: null,
        validity: null,
      },
      reviewLines: ['一审：陈晨', '二审：杨帆'],
      uncertain: [{ field: 'date', candidates: ['2020-07-01', '2020-06-30'] }],
    },
    unrecognised: [],
    warnings: warningMessages.map((message) => noteText(message)),
    warningMessages,
  };
}

let root: Root | null = null;
let host: HTMLElement;

beforeEach(() => {
  invoke.mockReset();
  screenStore.set({ name: 'list' });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root!.render(createElement(ImportDialog, { onClose: () => {}, onImported: () => {} })));
});

afterEach(() => {
  act(() => root?.unmount());
  host.remove();
});

async function paste(text: string) {
  const textarea = host.querySelector('textarea')!;
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(textarea, text);
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const submit = [...host.querySelectorAll('button')].find((b) => b.textContent === '识别并导入')!;
  await act(async () => {
    submit.click();
  });
}

const row = (label: string) =>
  [...host.querySelectorAll('.recognised > div')].find((div) => div.querySelector('dt')?.textContent === label)?.querySelector('dd')?.textContent;

describe('import result: what the importer was unsure of', () => {
  it('shows an uncertain field as left empty, with what the page said, and the 信息公开 and 审核 information', async () => {
    invoke.mockResolvedValueOnce(outcome());
    await paste('县政府召开第十二次常务会议');
    expect(row('发布日期')).toBe('无法确定，已留空（见“请注意”）');
    expect(row('来源')).toBe('未识别，请手动填写');
    expect(row('发布机构')).toBe('柳岸县人民政府办公室');
    expect(row('页面上的索引号')).toBe('11410721MB1234567P/2020-00031');
    expect(row('页面上的审核记录')).toBe('一审：陈晨　二审：杨帆');
    // Only the 信息公开 rows the page had are shown.
    expect(row('文号')).toBeUndefined();
    const warnings = host.querySelector('.import-warnings')?.textContent ?? '';
    expect(warnings).toContain('发布日期无法确定：页面上有 “2020-07-01”、“2020-06-30”');
    expect(warnings).toContain('发布机构“柳岸县人民政府办公室”是发文机关，没有当作来源');
  });
});
