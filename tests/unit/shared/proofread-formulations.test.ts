import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { checkArticle } from '../../../shared/proofread/engine';
import { findingMessage } from '../../../shared/proofread/messages';
import type { Finding } from '../../../shared/proofread/types';

function formulationFindings(text: string): Finding[] {
  const doc: Doc = { type: 'doc', content: [paragraph(text)] };
  return checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20' }), doc }, DEFAULT_PACKS).filter((f) => f.rule.startsWith('formulation:'));
}

describe('fixed formulations listed part by part', () => {
  it('accepts the standard listing, with a verb before it, and a listing of only some parts in order', () => {
    expect(formulationFindings('要增强政治意识、大局意识、核心意识、看齐意识，坚定道路自信、理论自信、制度自信、文化自信。')).toEqual([]);
    expect(formulationFindings('要增强政治意识、大局意识，做到两个维护。')).toEqual([]);
    expect(formulationFindings('富强、民主、文明、和谐，自由、平等、公正、法治，爱国、敬业、诚信、友善。')).toEqual([]);
    // Ordinary words that happen to be parts of a list are not a listing of it.
    expect(formulationFindings('推动经济建设、政治建设、文化建设、社会建设、生态文明建设和党的建设。坚持民主、法治。')).toEqual([]);
  });

  it('flags the parts in another order, naming the formulation and its standard wording', () => {
    const [finding, ...rest] = formulationFindings('要增强政治意识、核心意识、大局意识、看齐意识。');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'error',
      text: '政治意识、核心意识、大局意识、看齐意识',
      suggestion: '政治意识、大局意识、核心意识、看齐意识',
    });
    expect(finding?.message).toContain('四个意识');
    expect(findingMessage(finding!, 'en')).toContain('standard wording of "四个意识"');
  });

  it('flags a part with one character changed', () => {
    const [finding] = formulationFindings('坚定道路自信、理论自信、制度自信、文化自新。');
    expect(finding).toMatchObject({ text: '道路自信、理论自信、制度自信、文化自新', suggestion: '道路自信、理论自信、制度自信、文化自信' });
  });

  it('flags a listing that mixes in another formulation’s parts', () => {
    const [full] = formulationFindings('增强政治意识、大局意识、核心意识、道路自信。');
    expect(full).toMatchObject({ text: '政治意识、大局意识、核心意识、道路自信', suggestion: '政治意识、大局意识、核心意识、看齐意识' });
    const [partial] = formulationFindings('增强政治意识、大局意识、理论自信。');
    expect(partial).toMatchObject({ text: '政治意识、大局意识、理论自信' });
    expect(partial?.message).toBe('“政治意识、大局意识、理论自信”混用了“四个意识”和“四个自信”的内容');
  });

  it('flags the core values out of order, but not a few of them listed in passing', () => {
    expect(formulationFindings('富强、民主、文明、和谐，平等、自由、公正、法治，爱国、敬业、诚信、友善。')).toHaveLength(1);
    expect(formulationFindings('建设富强、民主、文明的国家。')).toEqual([]);
  });
});
