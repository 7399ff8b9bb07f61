import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiHandlers, safeFileName } from '../../../node/services/api-handlers';
import { openWorkspace, type Workspace } from '../../../node/services';
import type { ImportDraft } from '../../../node/services/import';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import { type CallContext, CHANNELS, type Channel, type ImportOutcome } from '../../../shared/api/contract';
import { createDispatcher } from '../../../shared/api/dispatch';
import { ApiError, type Envelope } from '../../../shared/api/errors';
import { type Article, ArticleMetaSchema, ArticleSchema } from '../../../shared/domain/article';
import { paragraph } from '../../../shared/domain/doc';
import { articleToHtmlDocument } from '../../../shared/html/serialize';

const SAMPLE = join(__dirname, '..', '..', 'fixtures', 'portal', 'sample-2021-05-20.txt');
const ipc: CallContext = { transport: 'ipc', sessionId: 'ipc:1' };
/** A 1×1 PNG: pictures go through the photo pipeline, which decodes them. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

let dir: string;
let workspace: Workspace;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-api-'));
  workspace = await openWorkspace(dir, { scrypt: { N: 1024, r: 8, p: 1 } });
  // Every article and import channel needs a signed-in person: the first one is admin and writer.
  const setup = await workspace.dispatch('session:setup', { name: '管理员', password: 'secret-1' }, ipc);
  if (!setup.ok) throw new Error(setup.error.detail);
});

afterEach(async () => {
  await workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call<T = unknown>(channel: string, payload: unknown, context: CallContext = ipc): Promise<Envelope<T>> {
  return (await workspace.dispatch(channel, payload, context)) as Envelope<T>;
}

async function value<T>(channel: Channel, payload: unknown): Promise<T> {
  const envelope = await call<T>(channel, payload);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.detail}`);
  return envelope.value;
}

describe('API handlers on a real workspace', () => {
  it('answers every channel of the contract', () => {
    for (const channel of CHANNELS) expect(typeof workspace.handlers[channel], channel).toBe('function');
  });

  it('creates from a template, autosaves, and detects a save from elsewhere', async () => {
    const created = await value<Article>('articles:create', { template: 'meeting', input: { title: '全区领导干部会议' } });
    expect(created.meta.template).toBe('meeting');
    expect(created.doc.type).toBe('doc');

    const meta = { ...created.meta, title: '改后的标题' };
    const doc = { type: 'doc', content: [paragraph('会议强调，坚持生态优先。')] };
    const first = await value<{ updatedAt: string }>('articles:save', { id: created.id, meta, doc, baseUpdatedAt: created.updatedAt });
    const second = await value<{ updatedAt: string }>('articles:save', { id: created.id, meta, doc, baseUpdatedAt: first.updatedAt });
    expect(second.updatedAt > first.updatedAt).toBe(true);
    const stale = await call('articles:save', { id: created.id, meta, doc, baseUpdatedAt: first.updatedAt });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const list = await value<{ items: { id: string; title: string }[]; problems: unknown[] }>('articles:list', { query: '生态' });
    expect(list.items.map((i) => [i.id, i.title])).toEqual([[created.id, '改后的标题']]);
    expect(list.problems).toEqual([]);
  });

  it('maps bad requests and missing articles to error codes', async () => {
    expect(await call('articles:get', { id: '../../etc' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await call('articles:get', { id: 'NoSuchArticle' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('articles:purge', { id: 'NoSuchArticle' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('nope:channel', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const created = await value<Article>('articles:create', { template: 'blank' });
    expect(await call('assets:add', { articleId: created.id, fileName: 'a.png', mime: 'image/png', dataBase64: '%%%' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('imports pasted portal text and reports an unreadable file without throwing', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const outcome = await value<ImportOutcome>('import:text', { text, name: '粘贴.txt' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.fields.date).toBe('2021-05-20');
    expect(outcome.article.source).toBe('区党政办');
    const stored = await value<Article>('articles:get', { id: outcome.article.id });
    expect(stored.meta.column).toEqual(['首页', '要闻动态', '政务要闻']);

    const broken = await value<ImportOutcome>('import:file', {
      name: 'folder/坏文件.docx',
      dataBase64: Buffer.from('not a zip').toString('base64'),
    });
    expect(broken).toMatchObject({ ok: false, file: 'folder/坏文件.docx' });
    if (!broken.ok) expect(broken.reason.length).toBeGreaterThan(0);
  });

  it('exports JSON with a Windows-safe file name and HTML with images inlined', async () => {
    const created = await value<Article>('articles:create', { template: 'blank' });
    const { src } = await value<{ src: string }>('assets:add', {
      articleId: created.id,
      fileName: '现场.png',
      mime: 'image/png',
      dataBase64: PNG.toString('base64'),
    });
    const meta = { ...created.meta, title: '关于“生态”问题: 通知?' };
    const doc = { type: 'doc', content: [paragraph('正文'), { type: 'image', attrs: { src, alt: '现场' } }] };
    await value('articles:save', { id: created.id, meta, doc });

    const json = await value<{ fileName: string; content: string }>('articles:export', { id: created.id, format: 'json' });
    expect(json.fileName).toBe('关于“生态”问题_ 通知_.json');
    expect(ArticleSchema.parse(JSON.parse(json.content)).doc).toEqual(doc);

    const html = await value<{ fileName: string; mime: string; content: string }>('articles:export', { id: created.id, format: 'html' });
    expect(html.mime).toBe('text/html');
    // The picture the article shows (the photo's working copy) is what the page carries.
    const shown = readFileSync(workspace.assetPath(created.id, src) ?? '');
    expect(html.content).toContain(`data:image/png;base64,${shown.toString('base64')}`);
    expect(html.content).not.toContain(src);
  });

  it('keeps settings, rejects invalid ones, and reports the transport', async () => {
    const settings = await value<{ locale: string; units: string[] }>('settings:get', {});
    expect(settings.locale).toBe('zh-CN');
    await value('settings:save', { ...settings, locale: 'en' });
    expect(await call('settings:save', { locale: 'de' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await workspace.close();
    workspace = await openWorkspace(dir);
    expect((await value<{ locale: string }>('settings:get', {})).locale).toBe('en');

    expect(await value('workspace:info', {})).toEqual({ path: workspace.dir, transport: 'ipc' });
    expect(await call('workspace:info', {}, { transport: 'cli', sessionId: '' })).toMatchObject({ ok: true, value: { transport: 'http' } });
    expect(await call('workspace:info', {}, { transport: 'http', sessionId: '' })).toMatchObject({ ok: true, value: { transport: 'http' } });
  });

  it('lists trash, restores, purges and keeps versions through the API', async () => {
    const created = await value<Article>('articles:create', { template: 'notice', input: { title: '放假通知' } });
    const version = await value<{ id: string }>('articles:saveVersion', { id: created.id, name: '第一版' });
    expect((await value<{ id: string }[]>('articles:versions', { id: created.id })).map((v) => v.id)).toEqual([version.id]);
    expect((await value<Article>('articles:getVersion', { id: created.id, revisionId: version.id })).meta.title).toBe(
      created.meta.title,
    );
    await value('articles:trash', { id: created.id });
    expect((await value<{ items: unknown[] }>('articles:list', {})).items).toEqual([]);
    expect((await value<{ items: unknown[] }>('articles:list', { trash: true })).items).toHaveLength(1);
    await value('articles:restore', { id: created.id });
    expect(await call('articles:purge', { id: created.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await value('articles:trash', { id: created.id });
    expect(await value('articles:purge', { id: created.id })).toEqual({ id: created.id });
    expect(await value('workspace:problems', {})).toEqual([]);
  });
});

describe('import with attachments', () => {
  it('stores the draft assets and points the doc and cover at the stored files', async () => {
    const storeDir = mkdtempSync(join(tmpdir(), 'gazette-api-assets-'));
    const store = await WorkspaceStore.open(storeDir);
    try {
      const draft: ImportDraft = {
        meta: ArticleMetaSchema.parse({ title: '带图片的文章', cover: { src: 'assets/image1.png', alt: '' } }),
        doc: {
          type: 'doc',
          content: [paragraph('正文'), { type: 'image', attrs: { src: 'assets/image1.png', alt: '图' } }],
        },
        fields: { title: '带图片的文章', subtitle: null, date: null, time: null, source: null, author: null, column: [], paragraphs: ['正文'] },
        unrecognised: [],
        warnings: [],
        assets: [
          { fileName: 'image1.png', mime: 'image/png', data: PNG },
          { fileName: 'macro.exe', mime: 'application/octet-stream', data: Buffer.from('MZ') },
        ],
      };
      const handlers = createApiHandlers(store, {
        buildFromTemplate: () => {
          throw new ApiError('internal', 'not used');
        },
        importFileBuffer: async () => draft,
        importPortalText: async () => draft,
        articleToHtmlDocument,
      });
      // No office here: the import handler alone is under test, so every caller is let through.
      const dispatch = createDispatcher(handlers, () => {});
      const envelope = await dispatch('import:file', { name: 'a.docx', dataBase64: '' }, ipc);
      if (!envelope.ok) throw new Error(envelope.error.detail);
      const outcome = envelope.value as ImportOutcome;
      if (!outcome.ok) throw new Error(outcome.reason);
      expect(outcome.warnings).toHaveLength(1);
      expect(outcome.warnings[0]).toContain('macro.exe');

      const article = await store.get(outcome.article.id);
      const image = article.doc.content[1];
      const src = String(image?.attrs?.src);
      expect(src).toMatch(/^assets\/[a-f0-9]{20}\.png$/);
      expect(article.meta.cover?.src).toBe(src);
      // The doc shows the photo's working copy and remembers the original, kept byte for byte.
      expect(image?.attrs).toMatchObject({ width: 1, height: 1 });
      const path = store.assetPath(article.id, String(image?.attrs?.original));
      expect(path && readFileSync(path).equals(PNG)).toBe(true);
    } finally {
      await store.close();
      rmSync(storeDir, { recursive: true, force: true });
    }
  });
});

describe('safeFileName', () => {
  it('produces names every OS accepts', () => {
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j', 'x')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeFileName('CON', 'x')).toBe('_CON');
    expect(safeFileName('通知...  ', 'x')).toBe('通知');
    expect(safeFileName('   ', 'fallbackid')).toBe('fallbackid');
    expect(safeFileName('长'.repeat(300), 'x')).toHaveLength(100);
  });
});
