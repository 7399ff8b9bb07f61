// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportedFile } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';

// The controller is handed its calls; nothing here may reach the real transport.
vi.mock('../../../renderer/src/api/client', () => ({
  api: { invoke: () => Promise.reject(new Error('no transport in unit tests')), assetUrl: () => '' },
}));

const { GongwenOutput } = await import('../../../renderer/src/screens/editor/print/gongwen-output');
const { fitPageZoom, pageCount, pageNumberSide, pageNumberText, sheetDocument, PAGE_PITCH_MM } = await import(
  '../../../renderer/src/screens/editor/print/print-pages'
);
const { toastStore } = await import('../../../renderer/src/state/notifications');

type Output = InstanceType<typeof GongwenOutput>;
type ExportRequest = { id: string; format: string; redhead?: boolean };

const FONT_NOTE = '本机未安装“仿宋_GB2312”，PDF 中以“Noto Serif CJK SC”代替。';

function file(format: string, notes: string[] = []): ExportedFile {
  if (format === 'print') return { fileName: '通知.html', mime: 'text/html', content: '<html><head></head><body>稿</body></html>', notes };
  return { fileName: `通知.${format}`, mime: 'application/octet-stream', content: 'AAAA', encoding: 'base64', notes };
}

function setup(options: { saved?: boolean; answer?: (request: ExportRequest) => Promise<ExportedFile> } = {}) {
  const requests: ExportRequest[] = [];
  const downloads: ExportedFile[] = [];
  const flush = vi.fn(async () => options.saved ?? true);
  const answer = options.answer ?? (async (request: ExportRequest) => file(request.format, [FONT_NOTE]));
  const output: Output = new GongwenOutput('art_123456', {
    invoke: (async (channel: string, request: ExportRequest) => {
      if (channel !== 'articles:export') throw new Error(`unexpected call ${channel}`);
      requests.push(request);
      return answer(request);
    }) as never,
    flush,
    download: (exported) => downloads.push(exported),
    describeError: (error) => (error instanceof ApiError ? `失败：${error.detail}` : String(error)),
    handleSessionLoss: () => false,
  });
  return { output, requests, downloads, flush };
}

beforeEach(() => toastStore.set([]));

describe('公文 export from the editor', () => {
  it('saves first, hands the Word file over and keeps its font notes on screen until read', async () => {
    const { output, requests, downloads, flush } = setup();
    await output.exportFile('docx');
    expect(flush).toHaveBeenCalledOnce();
    expect(requests).toEqual([{ id: 'art_123456', format: 'docx', redhead: false }]);
    expect(downloads.map((d) => d.fileName)).toEqual(['通知.docx']);
    expect(output.store.get().report).toEqual({ fileName: '通知.docx', notes: [FONT_NOTE] });
    expect(output.store.get().busy).toBeNull();
    output.closeReport();
    expect(output.store.get().report).toBeNull();
  });

  it('asks for the 红头 version once it is switched on', async () => {
    const { output, requests } = setup();
    output.setRedhead(true);
    await output.exportFile('pdf');
    expect(requests).toEqual([{ id: 'art_123456', format: 'pdf', redhead: true }]);
  });

  it('says the file was exported when there is nothing to note', async () => {
    const { output } = setup({ answer: async (request) => file(request.format) });
    await output.exportFile('pdf');
    expect(output.store.get().report).toBeNull();
    expect(toastStore.get().map((toast) => toast.text)).toEqual(['已导出「通知.pdf」']);
  });

  it('exports nothing when the text on screen could not be saved', async () => {
    const { output, requests, downloads } = setup({ saved: false });
    await output.exportFile('docx');
    expect(requests).toEqual([]);
    expect(downloads).toEqual([]);
    expect(toastStore.get()).toEqual([expect.objectContaining({ kind: 'error', text: expect.stringContaining('还没有保存') })]);
  });

  it('makes one file for a double click', async () => {
    let release: (value: ExportedFile) => void = () => {};
    const { output, requests, downloads } = setup({ answer: () => new Promise((resolve) => (release = resolve)) });
    const first = output.exportFile('docx');
    const second = output.exportFile('docx');
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    release(file('docx'));
    await Promise.all([first, second]);
    expect(downloads).toHaveLength(1);
  });

  it('shows a refusal and keeps nothing half-done', async () => {
    const { output, downloads } = setup({
      answer: async () => {
        throw new ApiError('invalid_request', '红头版需要发文机关名称');
      },
    });
    await output.exportFile('docx');
    expect(downloads).toEqual([]);
    expect(output.store.get().busy).toBeNull();
    expect(toastStore.get()).toEqual([expect.objectContaining({ kind: 'error' })]);
  });
});

describe('print preview', () => {
  it('shows the print page of the saved article with its layout notes', async () => {
    const { output, requests } = setup();
    await output.openPreview();
    expect(requests).toEqual([{ id: 'art_123456', format: 'print', redhead: false }]);
    expect(output.store.get().preview).toEqual({ kind: 'ready', html: expect.stringContaining('稿'), notes: [FONT_NOTE] });
    expect(output.store.get().busy).toBeNull();
  });

  it('lays the page out again with the 红头 when it is switched on in the preview', async () => {
    const { output, requests } = setup({
      answer: async (request) => ({ ...file('print'), content: request.redhead ? '红头稿' : '普通稿' }),
    });
    await output.openPreview();
    output.setRedhead(true);
    await vi.waitFor(() => expect(output.store.get().preview).toMatchObject({ kind: 'ready', html: '红头稿' }));
    expect(requests.map((r) => r.redhead)).toEqual([false, true]);
  });

  it('drops an answer that arrives after a newer request or after closing', async () => {
    const pending: ((value: ExportedFile) => void)[] = [];
    const { output } = setup({ answer: () => new Promise((resolve) => pending.push(resolve)) });
    void output.openPreview();
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    output.setRedhead(true);
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    pending[1]?.({ ...file('print'), content: '红头稿' });
    await vi.waitFor(() => expect(output.store.get().preview).toMatchObject({ html: '红头稿' }));
    pending[0]?.({ ...file('print'), content: '旧稿' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(output.store.get().preview).toMatchObject({ html: '红头稿' });

    void output.openPreview();
    await vi.waitFor(() => expect(pending).toHaveLength(3));
    output.closePreview();
    pending[2]?.(file('print'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(output.store.get().preview).toBeNull();
  });

  it('says why there is no preview instead of showing an old one', async () => {
    const unsaved = setup({ saved: false });
    await unsaved.output.openPreview();
    expect(unsaved.output.store.get().preview).toEqual({ kind: 'failed', detail: expect.stringContaining('还没有保存') });

    const refused = setup({
      answer: async () => {
        throw new ApiError('internal', '本机没有找到 Chromium');
      },
    });
    await refused.output.openPreview();
    expect(refused.output.store.get().preview).toEqual({ kind: 'failed', detail: '失败：本机没有找到 Chromium' });
  });
});

describe('print preview sheets', () => {
  it('adds one sheet’s screen rules to the print page, leaving its print rules alone', () => {
    const page = '<html><head><style>@page { size: A4; }</style></head><body><p>正文</p></body></html>';
    const second = sheetDocument(page, 1);
    expect(second).toContain('@page { size: A4; }');
    expect(second.indexOf('data-sheet="1"')).toBeGreaterThan(second.indexOf('@page'));
    expect(second.indexOf('data-sheet="1"')).toBeLessThan(second.indexOf('</head>'));
    expect(second).toMatch(/@media screen \{[\s\S]*margin: 0 0 0 -216mm/u);
    expect(second).toContain('<body><p>正文</p></body>');
  });

  it('counts a page for every column text landed in', () => {
    const pitch = (PAGE_PITCH_MM * 96) / 25.4;
    // Text at the first column only: one page, even a blank document.
    expect(pageCount([106, 106, 300], 106, pitch)).toBe(1);
    expect(pageCount([], 106, pitch)).toBe(1);
    // The third column starts two pitches on; sub-pixel rounding just left of it still counts there.
    expect(pageCount([106, 106 + pitch, 106 + 2 * pitch - 0.5], 106, pitch)).toBe(3);
    // Text at the right edge of a column stays on that page.
    expect(pageCount([106 + pitch - 2], 106, pitch)).toBe(1);
  });

  it('numbers pages on the outer side: odd on the right, even on the left', () => {
    expect([1, 2, 3].map(pageNumberSide)).toEqual(['right', 'left', 'right']);
    expect(pageNumberText(12)).toBe('— 12 —');
  });

  it('shows a whole sheet in the window at 整页, never larger than A4 nor too small to read', () => {
    const a4 = (297 * 96) / 25.4;
    const zoom = fitPageZoom(900);
    expect(a4 * zoom).toBeLessThan(900 * 0.88);
    expect(zoom).toBeGreaterThan(0.4);
    expect(fitPageZoom(3000)).toBe(1);
    expect(fitPageZoom(200)).toBe(0.35);
  });
});
