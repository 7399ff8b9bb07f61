import { describe, expect, it } from 'vitest';
import type { ApiHandlers, CallContext } from '../../../shared/api/contract';
import { TEXT_LIMITS } from '../../../shared/api/contract/limits';
import { createDispatcher } from '../../../shared/api/dispatch';
import { translate } from '../../../shared/i18n';

/*
 * Every text a request carries is held to a length limit before any schema or
 * handler sees it, through the one dispatcher both transports call: a text
 * past its limit is refused naming the field, and the handler is never run.
 */

const cli: CallContext = { transport: 'cli', sessionId: 'cli' };

/** The real dispatcher in front of handlers that only record what reached them. */
function recordingDispatcher() {
  const reached: { channel: string; request: unknown }[] = [];
  const handlers = new Proxy(
    {},
    {
      get: (_target, channel: string) => async (request: unknown) => {
        reached.push({ channel, request });
        return { ok: true };
      },
    },
  ) as ApiHandlers;
  return { dispatch: createDispatcher(handlers, () => {}), reached };
}

const meta = (fields: Record<string, unknown> = {}) => ({ title: '区党政办召开安全生产会议', ...fields });
const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('text limits on every request', () => {
  it('refuses pasted text past the import limit with the message naming it, before the importer runs', async () => {
    const { dispatch, reached } = recordingDispatcher();
    const text = '会'.repeat(TEXT_LIMITS.pastedText + 1);
    const envelope = await dispatch('import:text', { text, name: '粘贴的文本' }, cli);
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'too_large', detail: `粘贴的文本有 ${text.length} 个字符，超过上限 2000000 个字符，不像是一篇文章；请分开导入。` },
    });
    expect(reached).toEqual([]);
    // The 50 MB paste measured from outside is refused the same way.
    const huge = await dispatch('import:text', { text: 'x'.repeat(50 * 1024 * 1024) }, cli);
    expect(huge).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it('takes a rule pack file as large as the app exports 50,000 entries, and refuses one past its own limit', async () => {
    const { dispatch, reached } = recordingDispatcher();
    const entries = Array.from({ length: 50_000 }, (_, i) => ({ text: `乡镇名称${i}` }));
    const text = JSON.stringify({ id: 'places-town', name: '乡镇', kind: 'protected', source: 's', entries }, null, 2);
    expect(text.length).toBeGreaterThan(TEXT_LIMITS.anyText);
    expect(await dispatch('proofread:savePack', { text, format: 'json' }, cli)).toMatchObject({ ok: true });
    expect(await dispatch('proofread:previewDefaultUpdate', { text, format: 'json' }, cli)).toMatchObject({ ok: true });
    expect(reached.map((entry) => entry.channel)).toEqual(['proofread:savePack', 'proofread:previewDefaultUpdate']);
    const tooLarge = await dispatch('proofread:savePack', { text: ' '.repeat(TEXT_LIMITS.rulePackFile + 1), format: 'json' }, cli);
    expect(tooLarge).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it('accepts a long article pasted whole', async () => {
    const { dispatch, reached } = recordingDispatcher();
    const envelope = await dispatch('import:text', { text: '开发区召开会议。\n'.repeat(100_000) }, cli);
    expect(envelope.ok).toBe(true);
    expect(reached).toHaveLength(1);
  });

  it('refuses a title past its limit on save, naming the field, and saves nothing', async () => {
    const { dispatch, reached } = recordingDispatcher();
    const title = '标'.repeat(TEXT_LIMITS.title + 1);
    const envelope = await dispatch('articles:save', { id: 'article-1', meta: meta({ title }), doc: doc('正文') }, cli);
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'too_large', detail: `meta.title 有 ${TEXT_LIMITS.title + 1} 个字符，超过上限 ${TEXT_LIMITS.title} 个字符，未保存；请缩短后再试。` },
    });
    expect(reached).toEqual([]);
  });

  it('holds each keyword, and a field inside a nested object, to the field limit', async () => {
    const { dispatch } = recordingDispatcher();
    const long = '词'.repeat(TEXT_LIMITS.field + 1);
    const keywords = await dispatch('articles:save', { id: 'article-1', meta: meta({ keywords: ['安全', long] }), doc: doc('正文') }, cli);
    expect(keywords).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(!keywords.ok && keywords.error.detail).toMatch(/^meta\.keywords\.1 有 1001 个字符/u);
    const meeting = await dispatch('articles:create', { template: 'meeting', input: { place: long } }, cli);
    expect(!meeting.ok && meeting.error.detail).toMatch(/^input\.place 有 1001 个字符/u);
  });

  it('lets a long paragraph of the body through (an unbroken pasted text), but not an unbounded one', async () => {
    const { dispatch, reached } = recordingDispatcher();
    const saved = await dispatch('articles:save', { id: 'article-1', meta: meta(), doc: doc('长'.repeat(200_000)) }, cli);
    expect(saved.ok).toBe(true);
    expect(reached).toHaveLength(1);
    const unbounded = await dispatch('articles:save', { id: 'article-1', meta: meta(), doc: doc('长'.repeat(TEXT_LIMITS.anyText + 1)) }, cli);
    expect(!unbounded.ok && unbounded.error.detail).toMatch(/^doc\.content\.0\.content\.0\.text 有 1000001 个字符/u);
  });

  it('says the limit in English too', () => {
    expect(translate('en', 'error.textTooLong', { field: 'meta.title', count: 1001, limit: 1000 })).toBe(
      'meta.title has 1001 characters, over the limit of 1000; not saved. Shorten it and try again.',
    );
    expect(translate('en', 'error.too_large', { detail: 'x' })).toBe('Over the limit: x');
  });
});
