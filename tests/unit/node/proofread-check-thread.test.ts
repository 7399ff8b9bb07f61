import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { checkArticle } from '../../../shared/proofread/engine';
import { importPortalText } from '../../../node/services/import';
import { CheckThread } from '../../../node/services/proofread/check-thread';

const sample = importPortalText(readFileSync(join(import.meta.dirname, '../../fixtures/portal/sample-2021-05-20.txt'), 'utf8'), 'sample.txt');
const threads: CheckThread[] = [];
const thread = (options?: { timeLimitMs?: number }) => {
  const t = new CheckThread(options);
  threads.push(t);
  return t;
};
afterEach(async () => {
  for (const t of threads.splice(0)) await t.close();
});

describe('proofreading off the main thread', () => {
  it('finds in its thread exactly what the check finds inline, with the packs it was given', async () => {
    const input = { meta: sample.meta, doc: { type: 'doc', content: [...sample.doc.content, paragraph('区攻府召开会议,的的确确。')] } as Doc };
    const t = thread();
    const inThread = await t.check(input, DEFAULT_PACKS, {});
    expect(inThread).toEqual(checkArticle(input, DEFAULT_PACKS));
    expect(inThread.some((f) => f.text === '攻府' && f.severity === 'error')).toBe(true);
    // New packs reach the thread: an office word of its own is now flagged.
    const office = { id: 'office', name: '本办', kind: 'sensitive' as const, source: '本办', version: '1', entries: [{ text: '召开会议' }] };
    const again = await t.check(input, [...DEFAULT_PACKS, office], {});
    expect(again.some((f) => f.rule === 'sensitive:召开会议')).toBe(true);
  }, 60_000);

  it('stops a check that passes its time limit and says so, and the host can check again', async () => {
    const long = { meta: sample.meta, doc: { type: 'doc', content: Array.from({ length: 200 }, () => paragraph('区攻府,的的工作'.repeat(100))) } as Doc };
    await expect(thread({ timeLimitMs: 1 }).check(long, DEFAULT_PACKS, {})).rejects.toThrow(/校对超过 0 秒仍未完成，已停止/);
    const t = thread();
    expect((await t.check(sample, DEFAULT_PACKS, {})).length).toBeGreaterThan(0);
  }, 60_000);
});
