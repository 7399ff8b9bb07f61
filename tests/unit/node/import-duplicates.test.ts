import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../node/services/api-handlers';
import { importFileBuffer, importPortalText } from '../../../node/services/import';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import type { ApiHandlers, CallContext, ImportDuplicate, ImportOutcome } from '../../../shared/api/contract';
import { ArticleSchema } from '../../../shared/domain/article';
import { articleToHtmlDocument } from '../../../shared/html/serialize';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const SAMPLE_PATH = join(FIXTURES, 'portal', 'sample-2021-05-20.txt');
const SAMPLE = readFileSync(SAMPLE_PATH);
const DOCX = readFileSync(join(FIXTURES, 'docx', 'meeting.docx'));
const TITLE = '新乡经开区召开全区领导干部会议 传达学习习近平总书记重要讲话指示精神';
const cli: CallContext = { transport: 'cli', sessionId: 'cli' };

/**
 * The sample page as the browser's "save page" would write it: breadcrumb
 * links, an <h1>, the info line in spans, paragraphs indented with &emsp; and
 * wrapped mid-sentence. Same article, entirely different bytes and whitespace.
 */
function sampleAsSavedHtml(): string {
  const lines = SAMPLE.toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const [, title, , ...rest] = lines;
  const paragraphs = rest.filter((line) => !line.startsWith('分享到'));
  const wrapped = paragraphs.map((p) => `<p>&emsp;&emsp;${p.slice(0, 20)}\n      ${p.slice(20)}</p>`);
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${title}_新乡经济技术开发区</title></head>
<body>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/ywdt/">要闻动态</a> &gt; <a href="/ywdt/zwyw/">政务要闻</a></div>
<h1 class="title">${title}</h1>
<div class="info"><span>时间:2021-05-20</span> <span>来源:区党政办</span></div>
<div class="content">
${wrapped.join('\n')}
</div>
<div class="share">分享到：<a>微信</a></div>
</body></html>`;
}

let dir: string;
let store: WorkspaceStore;
let handlers: ApiHandlers;

async function openAt(path: string): Promise<void> {
  store = await WorkspaceStore.open(path, { indexFlushDelayMs: 10 });
  handlers = createApiHandlers(store, {
    buildFromTemplate: () => {
      throw new Error('not used');
    },
    importFileBuffer,
    importPortalText: async (text, name) => importPortalText(text, name),
    articleToHtmlDocument,
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-dup-'));
  await openAt(dir);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const importFile = (name: string, data: Buffer, allowDuplicate = false): Promise<ImportOutcome> =>
  handlers['import:file']({ name, dataBase64: data.toString('base64'), allowDuplicate }, cli);

function imported(outcome: ImportOutcome): Extract<ImportOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected an import, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function duplicate(outcome: ImportOutcome): ImportDuplicate {
  if (outcome.ok || !outcome.duplicate) throw new Error(`expected a duplicate, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('importing material the workspace already has', () => {
  it('the same file twice gives one article and names it as the duplicate', async () => {
    const first = imported(await importFile('sample.txt', SAMPLE));
    const second = duplicate(await importFile('folder/sample.txt', SAMPLE));
    expect(second).toEqual({
      ok: false,
      duplicate: true,
      file: 'folder/sample.txt',
      reason: 'same-file',
      existing: { id: first.article.id, title: TITLE, trashed: false },
    });
    expect(store.list().map((s) => s.id)).toEqual([first.article.id]);
  });

  it('recognises a Word file imported before, and the same pasted text', async () => {
    const word = imported(await importFile('会议.docx', DOCX));
    expect(duplicate(await importFile('会议(1).docx', DOCX))).toMatchObject({ reason: 'same-file', existing: { id: word.article.id } });

    const text = SAMPLE.toString('utf8');
    const pasted = imported(await handlers['import:text']({ text, name: '粘贴的文本', allowDuplicate: false }, cli));
    const again = duplicate(await handlers['import:text']({ text, name: '粘贴的文本', allowDuplicate: false }, cli));
    expect(again.existing.id).toBe(pasted.article.id);
    expect(store.list()).toHaveLength(2);
  });

  it('the .txt and the saved .html of one page are the same article', async () => {
    const fromText = imported(await importFile('sample.txt', SAMPLE));
    const html = Buffer.from(sampleAsSavedHtml(), 'utf8');
    const outcome = duplicate(await importFile('sample.html', html));
    expect(outcome.reason).toBe('same-article');
    expect(outcome.existing).toEqual({ id: fromText.article.id, title: TITLE, trashed: false });
    expect(store.list()).toHaveLength(1);
  });

  it('a page whose body changed is a new article', async () => {
    imported(await importFile('sample.txt', SAMPLE));
    const corrected = Buffer.from(SAMPLE.toString('utf8').replace('共计150余人参加会议', '共计160余人参加会议'), 'utf8');
    const second = imported(await importFile('sample-corrected.txt', corrected));
    expect(second.article.title).toBe(TITLE);
    expect(store.list()).toHaveLength(2);
  });

  it('a page with the same title and body but another date is a new article', async () => {
    imported(await importFile('sample.txt', SAMPLE));
    const redated = Buffer.from(SAMPLE.toString('utf8').replace('时间:2021-05-20', '时间:2022-05-20'), 'utf8');
    imported(await importFile('sample-2022.txt', redated));
    expect(store.list()).toHaveLength(2);
  });

  it('an original in the trash still counts, and says it is in the trash', async () => {
    const first = imported(await importFile('sample.txt', SAMPLE));
    await handlers['articles:trash']({ id: first.article.id }, cli);
    const second = duplicate(await importFile('sample.txt', SAMPLE));
    expect(second.existing).toEqual({ id: first.article.id, title: TITLE, trashed: true });
    expect(store.list({ trash: false })).toHaveLength(0);
  });

  it('allowDuplicate imports it anyway as a second article', async () => {
    const first = imported(await importFile('sample.txt', SAMPLE));
    const second = imported(await importFile('sample.txt', SAMPLE, true));
    expect(second.article.id).not.toBe(first.article.id);
    expect(store.list()).toHaveLength(2);
    // A third import names the original, not the deliberate copy.
    expect(duplicate(await importFile('sample.txt', SAMPLE)).existing.id).toBe(first.article.id);
  });

  it('edits do not hide the origin: the same file is still recognised after the article was reworded', async () => {
    const first = imported(await importFile('sample.txt', SAMPLE));
    const article = await store.get(first.article.id);
    await handlers['articles:save'](
      { id: article.id, meta: { ...article.meta, title: '改写后的标题' }, doc: { type: 'doc', content: [] } },
      cli,
    );
    expect(duplicate(await importFile('sample.txt', SAMPLE))).toMatchObject({
      reason: 'same-file',
      existing: { id: first.article.id, title: '改写后的标题' },
    });
    // The page's other format is still the article as it was imported, though its text has since changed.
    expect(duplicate(await importFile('sample.html', Buffer.from(sampleAsSavedHtml(), 'utf8'))).reason).toBe('same-article');
  });

  it('the fingerprint is kept in the article file and survives an index rebuild', async () => {
    const first = imported(await importFile('sample.txt', SAMPLE));
    const stored = ArticleSchema.parse(JSON.parse(readFileSync(join(dir, 'articles', first.article.id, 'article.json'), 'utf8')));
    expect(stored.importedFrom?.name).toBe('sample.txt');
    expect(stored.importedFrom?.sha256).toMatch(/^[0-9a-f]{64}$/);

    await store.close();
    expect(existsSync(join(dir, 'index'))).toBe(true);
    rmSync(join(dir, 'index'), { recursive: true, force: true });
    await openAt(dir);
    expect(duplicate(await importFile('sample.txt', SAMPLE)).existing.id).toBe(first.article.id);
    expect(duplicate(await importFile('sample.html', Buffer.from(sampleAsSavedHtml(), 'utf8'))).reason).toBe('same-article');

    // And when the index is read back from its shards rather than rebuilt.
    await store.close();
    await openAt(dir);
    expect(duplicate(await importFile('sample.txt', SAMPLE)).existing.id).toBe(first.article.id);
    expect(store.list()).toHaveLength(1);
  });

  it('an article typed by hand with the same title, date and text is recognised too', async () => {
    const draft = importPortalText(SAMPLE.toString('utf8'), 'sample.txt');
    const typed = await store.create(draft.meta, draft.doc);
    expect(duplicate(await importFile('sample.txt', SAMPLE))).toMatchObject({ reason: 'same-article', existing: { id: typed.id } });
  });

  it('a purged original no longer blocks the import', async () => {
    const first = imported(await importFile('sample.txt', SAMPLE));
    await handlers['articles:trash']({ id: first.article.id }, cli);
    await handlers['articles:purge']({ id: first.article.id }, cli);
    imported(await importFile('sample.txt', SAMPLE));
  });

  it('two imports of one file at the same moment still create one article', async () => {
    const outcomes = await Promise.all([importFile('a/sample.txt', SAMPLE), importFile('b/sample.txt', SAMPLE)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.duplicate)).toHaveLength(1);
    expect(store.list()).toHaveLength(1);
  });

  it('unreadable files are still plain failures, not duplicates', async () => {
    const broken = Buffer.from('not a zip');
    for (let i = 0; i < 2; i++) {
      const outcome = await importFile('broken.docx', broken);
      expect(outcome).toMatchObject({ ok: false, file: 'broken.docx' });
      expect(!outcome.ok && outcome.duplicate).toBeFalsy();
    }
    expect(store.list()).toHaveLength(0);
  });

  it('article files written before fingerprints existed still open and can be matched by content', async () => {
    const draft = importPortalText(SAMPLE.toString('utf8'), 'sample.txt');
    const old = await store.create(draft.meta, draft.doc);
    await store.close();
    const raw = JSON.parse(readFileSync(join(dir, 'articles', old.id, 'article.json'), 'utf8')) as Record<string, unknown>;
    expect(raw.importedFrom).toBeUndefined();
    rmSync(join(dir, 'index'), { recursive: true, force: true });
    await openAt(dir);
    expect(store.list().map((s) => s.id)).toEqual([old.id]);
    expect(duplicate(await importFile('sample.txt', SAMPLE)).existing.id).toBe(old.id);
  });
});
