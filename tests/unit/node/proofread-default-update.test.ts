import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/api/errors';
import { MISSPELLING_PACK } from '../../../shared/proofread/default-packs/lists';
import { draft, type Office, publishingOfficeForEachTest } from '../../support/review-api';

let office: Office;
publishingOfficeForEachTest((opened) => ({ office } = opened));

const codeOf = (envelope: Envelope<unknown>) => (envelope.ok ? 'ok' : envelope.error.code);
const detailOf = (envelope: Envelope<unknown>) => (envelope.ok ? '' : envelope.error.detail);

/** The shipped misspelling list, a version later: 攻府 dropped, 秸杆 → 秸秆 added, 按装's note changed. */
const newer = {
  ...MISSPELLING_PACK,
  version: '2025.1',
  entries: [
    ...MISSPELLING_PACK.entries.filter((e) => e.text !== '攻府').map((e) => (e.text === '按装' ? { ...e, note: '装配义用“安”' } : e)),
    { text: '莅临知道', suggestion: '莅临指导' },
  ],
};
const file = JSON.stringify(newer);

describe('a newer version of a shipped pack, imported offline', () => {
  it('shows the admin what it adds, removes and changes before anything is saved', async () => {
    expect(codeOf(await office.call('writer', 'proofread:previewDefaultUpdate', { text: file, format: 'json' }))).toBe('forbidden');
    const preview = await office.value('admin', 'proofread:previewDefaultUpdate', { text: file, format: 'json' });
    expect(preview).toMatchObject({ id: 'default-misspellings', currentVersion: MISSPELLING_PACK.version, newVersion: '2025.1' });
    expect(preview.added.map((e) => e.text)).toEqual(['莅临知道']);
    expect(preview.removed.map((e) => e.text)).toEqual(['攻府']);
    expect(preview.changed.map((c) => [c.before.note, c.after.note])).toEqual([[undefined, '装配义用“安”']]);
    expect(existsSync(join(office.dir, 'default-packs'))).toBe(false);
  });

  it('once accepted, is what checks use; the office packs are untouched', async () => {
    await office.value('admin', 'proofread:savePack', { pack: { id: 'office-words', name: '本单位用语', kind: 'misspelling', source: '本办', entries: [{ text: '管委会办', suggestion: '党政办' }] } });
    const officeFile = readFileSync(join(office.dir, 'rules', 'office-words.json'), 'utf8');
    const article = await draft(office, 'writer', '标题', '领导莅临知道工作。');
    expect((await office.value('writer', 'proofread:check', { id: article.id })).findings.some((f) => f.text === '莅临知道')).toBe(false);

    // The version accepted must be the one previewed.
    const stale = await office.call('admin', 'proofread:acceptDefaultUpdate', { text: file, format: 'json', version: '2024.9' });
    expect(codeOf(stale)).toBe('conflict');
    const accepted = await office.value('admin', 'proofread:acceptDefaultUpdate', { text: file, format: 'json', version: '2025.1' });
    expect(accepted).toMatchObject({ origin: 'default', pack: { id: 'default-misspellings', version: '2025.1' } });

    const packs = await office.value('writer', 'proofread:packs', {});
    expect(packs.packs.find((p) => p.pack.id === 'default-misspellings')?.pack.version).toBe('2025.1');
    const result = await office.value('writer', 'proofread:check', { id: article.id });
    expect(result.findings.find((f) => f.text === '莅临知道')).toMatchObject({ suggestion: '莅临指导', severity: 'error' });
    expect(readFileSync(join(office.dir, 'rules', 'office-words.json'), 'utf8')).toBe(officeFile);
    expect(packs.packs.filter((p) => p.origin === 'office').map((p) => p.pack.id)).toEqual(['office-words']);

    // The same version again is refused as already in use.
    expect(codeOf(await office.call('admin', 'proofread:previewDefaultUpdate', { text: file, format: 'json' }))).toBe('conflict');
  });

  it('refuses a file that is no shipped pack, or of another kind, with a message saying why', async () => {
    const officeLike = await office.call('admin', 'proofread:previewDefaultUpdate', { text: JSON.stringify({ ...newer, id: 'office-x' }), format: 'json' });
    expect(codeOf(officeLike)).toBe('invalid_request');
    expect(detailOf(officeLike)).toContain('不是内置规则包');
    const otherKind = await office.call('admin', 'proofread:previewDefaultUpdate', { text: JSON.stringify({ ...newer, kind: 'sensitive' }), format: 'json' });
    expect(codeOf(otherKind)).toBe('invalid_request');
    const broken = await office.call('admin', 'proofread:previewDefaultUpdate', { text: '{"id":', format: 'json' });
    expect(detailOf(broken)).toContain('不是有效的 JSON 文件');
  });
});
