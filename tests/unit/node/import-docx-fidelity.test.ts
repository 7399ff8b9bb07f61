import { describe, expect, it } from 'vitest';
import { type DocNode, docToPlainText } from '../../../shared/domain/doc';
import { importFileBuffer } from '../../../node/services/import/index';
import { NOTICE, redheadNoticeDocx as redheadNotice } from '../../support/notice-docx';
import { noteText } from '../../../shared/i18n/note';

const text = (node: DocNode | undefined) => (node ? docToPlainText(node) : '');
const byText = (nodes: DocNode[], wanted: string) => nodes.find((node) => text(node) === wanted);

describe('.docx import keeps a 公文 as written', () => {
  it('takes the 红头 out of the text and offers its 文号 as metadata; the centred line under it is the title', async () => {
    const draft = await importFileBuffer('通知.docx', await redheadNotice());
    expect(draft.meta.title).toBe('关于做好清明节期间安全生产工作的通知');
    expect(draft.meta.disclosure?.docNo).toBe('某政办〔2024〕7号');
    const body = docToPlainText(draft.doc);
    expect(body).not.toContain('某某区人民政府办公室文件');
    expect(body).not.toContain('某政办〔2024〕7号');
  });

  it('marks the 主送 line, keeps the 落款 right-aligned and offers its date as 成文日期', async () => {
    const draft = await importFileBuffer('通知.docx', await redheadNotice());
    const nodes = draft.doc.content;
    expect(byText(nodes, '各园区、各部门：')?.attrs?.role).toBe('addressee');
    expect(byText(nodes, '某某区人民政府办公室')?.attrs).toMatchObject({ role: 'signature', textAlign: 'right' });
    expect(byText(nodes, '2024年4月6日')?.attrs).toMatchObject({ role: 'signatureDate', textAlign: 'right' });
    expect(draft.meta.disclosure?.writtenAt).toBe('2024-04-06');
    // The date is the document's own text, not a portal 发布日期.
    expect(draft.meta.publishAt).toBeNull();
  });

  it('does not guess a 落款 from a lone date: it says so and leaves the metadata empty', async () => {
    const draft = await importFileBuffer('通知.docx', await redheadNotice({ signature: false }));
    expect(draft.meta.disclosure?.writtenAt ?? null).toBeNull();
    expect(draft.doc.content.some((node) => node.attrs?.role === 'signatureDate')).toBe(false);
    expect(draft.warnings.map((w) => noteText(w)).join('\n')).toContain('未标为落款');
  });

  it('says what it read and could not place in English too', async () => {
    const withDate = await importFileBuffer('通知.docx', await redheadNotice());
    const english = withDate.warnings.map((w) => noteText(w, 'en'));
    expect(english).toContain(`Document number “${NOTICE.docNo}” was read from the red header; check it under Government information disclosure.`);
    expect(english).toContain(`The date under the signature was taken as the date written (${NOTICE.writtenAt}); check it.`);
    const lone = await importFileBuffer('通知.docx', await redheadNotice({ signature: false }));
    expect(lone.warnings.map((w) => noteText(w, 'en')).join('\n')).toContain(`The closing date “${NOTICE.date}” has no issuing organ’s name above it`);
    // Only the document's own words stay Chinese.
    for (const line of english) expect(line).not.toMatch(/请|核对|未识别/u);
  });

  it('keeps 一、 on a line of its own as a heading and a run-in （一） heading as body text', async () => {
    const draft = await importFileBuffer('通知.docx', await redheadNotice());
    expect(byText(draft.doc.content, '一、总体要求')?.type).toBe('heading');
    expect(byText(draft.doc.content, '（一）加强组织领导。各单位要亲自部署。')?.type).toBe('paragraph');
  });

  it('keeps merged table cells and the footnote as an endnote', async () => {
    const draft = await importFileBuffer('通知.docx', await redheadNotice());
    const table = draft.doc.content.find((node) => node.type === 'table');
    const first = table?.content?.[0]?.content?.[0];
    expect(text(first)).toBe('检查安排');
    expect(first?.attrs?.colspan).toBe(2);
    const week = table?.content?.[1]?.content?.[0];
    expect(text(week)).toBe('第一周');
    expect(week?.attrs?.rowspan).toBe(2);
    // The last block is the note, as written: no ↑ link back to the reference (a web page's device).
    const endnotes = draft.doc.content.at(-1);
    expect(endnotes?.type).toBe('orderedList');
    expect(text(endnotes)).toBe(NOTICE.footnote);
  });
});
