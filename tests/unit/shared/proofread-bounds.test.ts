import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { checkArticle, FINDINGS_PER_RULE } from '../../../shared/proofread/engine';
import type { RulePack, RulePacks } from '../../../shared/proofread/packs';
import type { Finding } from '../../../shared/proofread/types';

function check(paragraphs: string[], packs: RulePacks = DEFAULT_PACKS): Finding[] {
  const doc: Doc = { type: 'doc', content: paragraphs.map((p) => paragraph(p)) };
  return checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20' }), doc }, packs);
}

function byRule(findings: Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = map.get(f.rule);
    if (list) list.push(f);
    else map.set(f.rule, [f]);
  }
  return map;
}

describe('pathological inputs stay bounded', () => {
  it('lists at most the first findings of each rule and one summary with the full count (共 N 处)', () => {
    // 27,000 times: a near miss of 政府, a half-width comma and a doubled 的: 81,000 findings.
    const unit = '区攻府,的的工作';
    const paragraphs = Array.from({ length: 270 }, () => unit.repeat(100));
    const findings = check(paragraphs);
    const rules = byRule(findings);
    for (const rule of ['protected-term:政府', 'punct:half-width-in-chinese', 'repeat:character']) {
      const list = rules.get(rule) ?? [];
      expect(list).toHaveLength(FINDINGS_PER_RULE + 1);
      const summary = list[FINDINGS_PER_RULE]!;
      expect(summary.messageKey).toBe('proof.finding.moreOfRule');
      expect(summary.params?.count).toBe(27_000);
      expect(summary.message).toContain('共 27000 处');
      // Listed in text order, the summary after the ones listed.
      expect(list.map((f) => f.start)).toEqual([...list.map((f) => f.start)].sort((a, b) => a - b));
    }
    // The near misses are errors, and so is their summary: the article stays blocked.
    expect(rules.get('protected-term:政府')!.every((f) => f.severity === 'error')).toBe(true);
  });

  it('an office pack of 200 overlapping entries over 300 characters is reported per entry, capped', () => {
    const office: RulePack = {
      id: 'office-overlap',
      name: '重叠词条',
      kind: 'sensitive',
      source: '压力测试',
      version: '1',
      entries: Array.from({ length: 200 }, (_, k) => ({ text: '啊'.repeat(k + 1) })),
    };
    const text = '啊'.repeat(300);
    const findings = check([text], [...DEFAULT_PACKS, office]);
    const rules = byRule(findings.filter((f) => f.family === 'sensitive'));
    expect(rules.size).toBe(200);
    for (let k = 1; k <= 200; k++) {
      const occurrences = 300 - k + 1;
      const list = rules.get(`sensitive:${'啊'.repeat(k)}`) ?? [];
      expect(list).toHaveLength(Math.min(occurrences, FINDINGS_PER_RULE + 1));
      if (occurrences > FINDINGS_PER_RULE) expect(list.at(-1)?.params?.count).toBe(occurrences);
    }
  });

  it('tens of thousands of unpaired marks are found in one pass, each kind once per mark', () => {
    const text = `${'“'.repeat(40_000)}${'）'.repeat(40_000)}（内容）`;
    const findings = check([text]).filter((f) => f.rule === 'pairs:unpaired');
    expect(findings).toHaveLength(FINDINGS_PER_RULE + 1);
    expect(findings.at(-1)?.params?.count).toBe(80_000);
    // The matched pair at the end is not among them.
    expect(findings.some((f) => f.start >= 80_000)).toBe(false);
  });

  it('an unclosed mark inside a matched pair is reported, the pair is not', () => {
    const findings = check(['他说：“（一）加强（管理”，并指出（二）。']).filter((f) => f.rule === 'pairs:unpaired');
    expect(findings.map((f) => f.text)).toEqual(['（']);
  });
});
