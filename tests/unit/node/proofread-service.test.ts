import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/api/errors';
import { draft, type Office, publishingOfficeForEachTest } from '../../support/review-api';
import { withSiteIdentifiers } from '../../support/site-identifiers';

let office: Office;
let folder: string;
publishingOfficeForEachTest((opened) => ({ office, folder } = opened));

const codeOf = (envelope: Envelope<unknown>) => (envelope.ok ? 'ok' : envelope.error.code);
const detailOf = (envelope: Envelope<unknown>) => (envelope.ok ? '' : envelope.error.detail);

const OFFICE_PACK = {
  id: 'office-places',
  name: '本区地名',
  kind: 'protected',
  source: '区民政局行政区划名录',
  entries: [{ text: '纬七路街道办' }, { text: '新乡经开区' }],
};

describe('rule packs in the workspace', () => {
  it('lists the defaults and the office packs; only admins save; office files are separate from the defaults', async () => {
    const before = await office.value('writer', 'proofread:packs', {});
    expect(before.packs.every((p) => p.origin === 'default')).toBe(true);
    expect(before.packs.map((p) => p.pack.kind)).toEqual(expect.arrayContaining(['protected', 'sensitive', 'misspelling', 'outdated']));

    expect(codeOf(await office.call('writer', 'proofread:savePack', { pack: OFFICE_PACK }))).toBe('forbidden');
    const saved = await office.value('admin', 'proofread:savePack', { pack: OFFICE_PACK });
    expect(saved).toMatchObject({ origin: 'office', file: 'office-places.json' });
    const onDisk = JSON.parse(readFileSync(join(office.dir, 'rules', 'office-places.json'), 'utf8'));
    expect(onDisk.entries).toHaveLength(2);

    const after = await office.value('writer', 'proofread:packs', {});
    expect(after.packs.filter((p) => p.origin === 'office').map((p) => p.pack.id)).toEqual(['office-places']);
    // A default pack's id cannot be taken, so an update of the defaults never collides with the office's file.
    const clash = await office.call('admin', 'proofread:savePack', { pack: { ...OFFICE_PACK, id: 'default-sensitive' } });
    expect(codeOf(clash)).toBe('conflict');
    expect(codeOf(await office.call('admin', 'proofread:deletePack', { id: 'default-sensitive' }))).toBe('forbidden');

    await office.value('admin', 'proofread:deletePack', { id: 'office-places' });
    expect((await office.value('writer', 'proofread:packs', {})).packs.some((p) => p.origin === 'office')).toBe(false);
  });

  it('imports YAML and exports JSON/YAML that import again; mistakes get a Chinese message naming the entry', async () => {
    const yaml = ['id: office-words', 'name: 本单位用语', 'kind: misspelling', 'source: 本办校对组', 'entries:', '  - text: 经开区管委会办公室', '    suggestion: 经开区党政办'].join('\n');
    const imported = await office.value('admin', 'proofread:savePack', { text: yaml, format: 'yaml' });
    expect(imported.pack.entries[0]).toEqual({ text: '经开区管委会办公室', suggestion: '经开区党政办' });

    const exported = await office.value('writer', 'proofread:exportPack', { id: 'office-words', format: 'yaml' });
    expect(exported.fileName).toBe('office-words.yaml');
    await office.value('admin', 'proofread:deletePack', { id: 'office-words' });
    const again = await office.value('admin', 'proofread:savePack', { text: exported.content, format: 'yaml' });
    expect(again.pack).toEqual(imported.pack);

    const missing = await office.call('admin', 'proofread:savePack', { text: yaml.replace('    suggestion: 经开区党政办', ''), format: 'yaml' });
    expect(codeOf(missing)).toBe('invalid_request');
    expect(detailOf(missing)).toContain('第 1 个词条「经开区管委会办公室」缺少 suggestion');
    const broken = await office.call('admin', 'proofread:savePack', { text: '{"id": "x", ', format: 'json' });
    expect(detailOf(broken)).toContain('不是有效的 JSON 文件');
  });

  it('reports a damaged office file without losing it, and keeps checking with the rest', async () => {
    await mkdir(join(office.dir, 'rules'), { recursive: true });
    writeFileSync(join(office.dir, 'rules', 'broken.yaml'), 'id: [unclosed');
    const list = await office.value('writer', 'proofread:packs', {});
    expect(list.problems.map((p) => p.file)).toEqual(['broken.yaml']);
    expect(readFileSync(join(office.dir, 'rules', 'broken.yaml'), 'utf8')).toBe('id: [unclosed');
    const article = await draft(office, 'writer', '标题', '中华人民共合国。');
    const result = await office.value('writer', 'proofread:check', { id: article.id });
    expect(result.blocking).toBe(1);
  });
});

describe('the gate on submit and publish', () => {
  it('refuses submission while errors remain, listing them in Chinese; a fixed text passes', async () => {
    const article = await draft(office, 'writer', '区检察院召开会议', '5月19日，区检查院召开会议,部署工作。');
    const refused = await office.call('writer', 'review:submit', { id: article.id, note: '' });
    expect(codeOf(refused)).toBe('conflict');
    expect(detailOf(refused)).toContain('校对还有 1 处错误，不能提交审核：“检查院”');
    expect((await office.value('writer', 'articles:get', { id: article.id })).status).toBe('draft');

    const fixed = { ...article.doc, content: [{ type: 'paragraph', content: [{ type: 'text', text: '5月19日，区检察院召开会议,部署工作。' }] }] };
    await office.value('writer', 'articles:save', { id: article.id, meta: article.meta, doc: fixed });
    // Warnings (the half-width comma) never block.
    const view = await office.value('writer', 'review:submit', { id: article.id, note: '' });
    expect(view.state.status).toBe('in_review');
  });

  it('lets a reviewer override one error with a reason, recorded in the audit trail; writers cannot; a changed text blocks again', async () => {
    const article = await draft(office, 'writer', '会议', '中华人民共合国。');
    const check = await office.value('writer', 'proofread:check', { id: article.id });
    const error = check.findings.find((f) => f.severity === 'error');
    if (!error) throw new Error('expected an error');
    const request = { articleId: article.id, rule: error.rule, start: error.start, text: error.text, reason: '' };

    expect(codeOf(await office.call('writer', 'proofread:override', { ...request, reason: '我觉得没问题' }))).toBe('forbidden');
    expect(codeOf(await office.call('reviewer', 'proofread:override', { ...request, reason: '   ' }))).toBe('invalid_request');
    const overridden = await office.value('reviewer', 'proofread:override', { ...request, reason: '引用原文，保留原貌' });
    expect(overridden.blocking).toBe(0);
    expect(overridden.findings.find((f) => f.rule === error.rule)?.overridden).toMatchObject({ reason: '引用原文，保留原貌', byName: '李审核' });

    // Its own audit entry (not a comment), on disk and in what the review panel reads.
    const lines = readFileSync(join(office.dir, 'articles', article.id, 'record.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '{}').event).toMatchObject({ type: 'proofread_override', rule: error.rule, text: '中华人民共合国', reason: '引用原文，保留原貌' });
    const trail = await office.value('writer', 'review:get', { id: article.id });
    const recorded = trail.events.filter((e) => e.type === 'proofread_override');
    expect(recorded).toEqual([expect.objectContaining({ start: error.start, message: error.message, messageKey: error.messageKey, params: error.params, reason: '引用原文，保留原貌', actorId: expect.any(String) })]);
    expect(trail.events.some((e) => e.type === 'comment')).toBe(false);

    // The override survives an unrelated edit that shifts the offsets…
    await office.value('writer', 'articles:save', {
      id: article.id,
      meta: article.meta,
      doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '据报道，中华人民共合国。' }] }] },
    });
    expect((await office.value('writer', 'proofread:check', { id: article.id })).blocking).toBe(0);
    // …but a new error is not covered by it.
    await office.value('writer', 'articles:save', {
      id: article.id,
      meta: article.meta,
      doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '据报道，中华人民共合国。区攻府。' }] }] },
    });
    const submit = await office.call('writer', 'review:submit', { id: article.id, note: '' });
    expect(detailOf(submit)).toContain('“攻府”');
  });

  it('a damaged overrides file blocks again (never lets errors through) and is kept aside', async () => {
    const article = await draft(office, 'writer', '会议', '区攻府召开会议。');
    const error = (await office.value('writer', 'proofread:check', { id: article.id })).findings.find((f) => f.severity === 'error');
    if (!error) throw new Error('expected an error');
    await office.value('reviewer', 'proofread:override', { articleId: article.id, rule: error.rule, start: error.start, text: error.text, reason: '原文' });
    const file = join(office.dir, 'articles', article.id, 'proofread-overrides.json');
    writeFileSync(file, '{"overrides": [');
    expect((await office.value('writer', 'proofread:check', { id: article.id })).blocking).toBe(1);
    const kept = readdirSync(join(office.dir, 'articles', article.id)).filter((n) => n.startsWith('proofread-overrides.json.damaged-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(office.dir, 'articles', article.id, kept[0] ?? ''), 'utf8')).toBe('{"overrides": [');
  });

  it('refuses publishing when an error appears after approval (a new office pack), until a publisher overrides it', async () => {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', { ...withSiteIdentifiers(site), targets: [{ id: 'www', kind: 'static-folder', label: '门户网站目录', folder }] });
    const article = await draft(office, 'writer', '纬七路街道召开会议', '纬七街道办召开会议，部署工作。');
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    const view = await office.value('reviewer', 'review:get', { id: article.id });
    await office.value('reviewer', 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });

    await office.value('admin', 'proofread:savePack', { pack: OFFICE_PACK });
    const refused = await office.call('publisher', 'publish:enqueue', { articleId: article.id, targetIds: ['www'], action: 'publish' });
    expect(codeOf(refused)).toBe('conflict');
    expect(detailOf(refused)).toContain('不能发布：“纬七街道办”');

    const error = (await office.value('publisher', 'proofread:check', { id: article.id })).findings.find((f) => f.severity === 'error');
    if (!error) throw new Error('expected an error');
    await office.value('publisher', 'proofread:override', { articleId: article.id, rule: error.rule, start: error.start, text: error.text, reason: '文件原文如此' });
    const queued = await office.value('publisher', 'publish:enqueue', { articleId: article.id, targetIds: ['www'], action: 'publish' });
    expect(queued.ok).toBe(true);
  });
});
