import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/errors';
import { toApiError } from '../../../node/services/api-errors';
import { importFileBuffer } from '../../../node/services/import/index';
import { ImportThread } from '../../../node/services/import/import-thread';
import { checkWordZip, IMPORT_LIMITS, ImportLimitError } from '../../../node/services/import/limits';
import { longWordFile, millionEmptyParagraphs, wordFile, wordParagraph, zeroImageBomb } from '../../support/hostile-docx';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/docx/${name}`, import.meta.url));

/** What importing `data` throws (fails the test if it imports). */
async function refusal(run: Promise<unknown>): Promise<ImportLimitError> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImportLimitError);
  return error as ImportLimitError;
}

describe('Word files are measured before the converter runs', () => {
  it('refuses one million empty paragraphs by their compression ratio, naming the part and the limit', async () => {
    const bomb = await millionEmptyParagraphs();
    const error = await refusal(importFileBuffer('炸弹.docx', bomb));
    expect(error.kind).toBe('ratio');
    expect(error.detail).toMatch(/“炸弹\.docx”中的 word\/document\.xml 压缩比为 \d+:1，超过上限 100:1/u);
  });

  it('refuses the same million paragraphs stored uncompressed by their count', async () => {
    const error = await refusal(importFileBuffer('炸弹.docx', await millionEmptyParagraphs({ store: true })));
    expect(error.kind).toBe('paragraphs');
    expect(error.detail).toContain(`有 1000000 个段落，超过段落数上限 ${IMPORT_LIMITS.paragraphs}`);
  });

  it('refuses a high-ratio part that is not XML (a picture of zeros)', async () => {
    const error = await refusal(importFileBuffer('图片.docx', await zeroImageBomb()));
    expect(error.kind).toBe('ratio');
    expect(error.detail).toContain('word/media/image1.png');
  });

  it('refuses a part that unpacks to more than its directory declares', async () => {
    const honest = await wordFile(wordParagraph('正文'.repeat(20_000)));
    // Shrink the declared size of document.xml in the central directory (the local header's stays: the converter reads that one).
    const lying = Buffer.from(honest);
    const name = Buffer.from('word/document.xml');
    for (let at = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
      if (lying.subarray(at + 46, at + 46 + name.length).equals(name)) lying.writeUInt32LE(1000, at + 24);
    }
    const error = await refusal(importFileBuffer('篡改.docx', lying));
    expect(error.kind).toBe('understated');
    expect(error.detail).toContain('word/document.xml');
  });

  it('lets a real Word file through the checks, and it still imports', async () => {
    expect(() => checkWordZip(fixture('meeting.docx'), 'meeting.docx')).not.toThrow();
    const draft = await importFileBuffer('会议新闻.docx', fixture('meeting.docx'));
    expect(draft.meta.title).not.toBe('');
    expect(draft.assets.length).toBeGreaterThan(0);
  });

  it('leaves a file that is not a zip to the converter, which says it is damaged', async () => {
    const error = await importFileBuffer('损坏.docx', fixture('broken.docx')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('unsupported_file');
  });

  it('reaches the API as too_large with the message naming the limit', async () => {
    const error = await refusal(importFileBuffer('炸弹.docx', await millionEmptyParagraphs()));
    const api = toApiError(error);
    expect(api).toBeInstanceOf(ApiError);
    expect((api as ApiError).code).toBe('too_large');
    expect((api as ApiError).detail).toBe(error.detail);
  });
});

const threads: ImportThread[] = [];
const thread = (options?: { timeLimitMs?: number; heapMb?: number }) => {
  const t = new ImportThread(options);
  threads.push(t);
  return t;
};
afterEach(async () => {
  for (const t of threads.splice(0)) await t.close();
});

describe('imports in their own thread', () => {
  it('imports a Word file in the thread exactly as inline, pictures included', async () => {
    const inThread = await thread().importFile('会议新闻.docx', fixture('meeting.docx'));
    const inline = await importFileBuffer('会议新闻.docx', fixture('meeting.docx'));
    expect(inThread).toEqual(inline);
    expect(Buffer.isBuffer(inThread.assets[0]?.data)).toBe(true);
  });

  it('imports pasted text in the thread', async () => {
    const draft = await thread().importText('区党政办召开安全生产会议\n时间：2024-03-05\n会议要求各部门落实责任。', '粘贴的文本');
    expect(draft.meta.title).toBe('区党政办召开安全生产会议');
  });

  it('refuses a bomb from the thread with the message naming the limit', async () => {
    const error = await refusal(thread().importFile('炸弹.docx', await millionEmptyParagraphs()));
    expect(error.kind).toBe('ratio');
    expect(error.detail).toContain('超过上限 100:1');
  });

  it('stops an import past its heap limit with a message naming it, and the next import works', async () => {
    const t = thread({ heapMb: 48 });
    const error = await refusal(t.importFile('长文.docx', await longWordFile(40_000)));
    expect(error.kind).toBe('heapMb');
    expect(error.detail).toBe('读取“长文.docx”所需内存超过上限 48 MB，已停止，未导入；请拆分文档或压缩图片后再试。');
    const after = await t.importText('区党政办召开安全生产会议\n时间：2024-03-05\n会议要求各部门落实责任。', '粘贴的文本');
    expect(after.meta.title).toBe('区党政办召开安全生产会议');
  });

  it('stops an import past its time limit with a message naming it, and the next import works', async () => {
    // The limit measures the import, not the thread's start (seconds from source on a busy machine).
    const t = thread({ timeLimitMs: 1500 });
    const error = await refusal(t.importFile('长文.docx', await longWordFile(40_000)));
    expect(error.kind).toBe('timeMs');
    expect(error.detail).toContain('读取“长文.docx”超过 2 秒仍未完成，已停止');
    const after = await t.importFile('会议新闻.docx', fixture('meeting.docx'));
    expect(after.assets.length).toBeGreaterThan(0);
  });
});

describe('hostile web pages', () => {
  it('a page of 20,000 nested blocks imports the text at its bottom instead of overflowing the stack', async () => {
    const deep = `<html><body>${'<div>'.repeat(20_000)}<h1>深处的标题在这里</h1><p>发布时间：2024-03-01</p><p>深处的正文。</p>${'</div>'.repeat(20_000)}</body></html>`;
    const draft = await importFileBuffer('深.html', Buffer.from(deep));
    expect(draft.meta.title).toBe('深处的标题在这里');
    expect(draft.fields.date).toBe('2024-03-01');
    expect(draft.fields.paragraphs).toEqual(['深处的正文。']);
  });

  it('a menu nested 600 blocks deep is still a menu', async () => {
    const menus = `${'<div><a href="/a/">首页</a><a href="/b/">新闻</a>'.repeat(600)}${'</div>'.repeat(600)}`;
    const draft = await importFileBuffer('菜单.html', Buffer.from(`<html><body>${menus}<h1>区政府召开常务会议</h1><p>发布时间：2024-02-01</p><p>2月1日，区政府召开常务会议。</p></body></html>`));
    expect(draft.fields.paragraphs).toEqual(['2月1日，区政府召开常务会议。']);
  });
});
