import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { emptyMeta, newArticle } from '../../../shared/domain/article';
import type { DocNode } from '../../../shared/domain/doc';
import { exportGongwen } from '../../../node/services/export';

const p = (text: string): DocNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });

async function openDocx() {
  const article = newArticle('notice1', '2024-04-06T00:00:00Z', { ...emptyMeta('notice'), title: '关于做好安全生产工作的通知' }, {
    type: 'doc',
    content: [p('各园区、各部门：'), p('一、提高思想认识'), p('（一）加强组织领导。各单位要“层层压实责任”。'), p('某某区人民政府办公室')],
  });
  const file = await exportGongwen(article, 'docx', { redheadOrgan: null }, { readAsset: () => null, mimeOf: () => 'image/png' }, 'notice');
  const zip = await JSZip.loadAsync(Buffer.from(file.content, 'base64'));
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  const parts = await Promise.all(
    Object.keys(zip.files)
      .filter((name) => /^word\/(document|styles|footer\d+)\.xml$/u.test(name))
      .map(read),
  );
  return { fontTable: await read('word/fontTable.xml'), rels: await read('word/_rels/document.xml.rels'), parts: parts.join('\n') };
}

/** name → its w:altName list, from fontTable.xml. */
function altNames(fontTable: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [, name = '', body = ''] of fontTable.matchAll(/<w:font w:name="([^"]+)">(.*?)<\/w:font>/gsu)) {
    out.set(name, (/<w:altName w:val="([^"]*)"/u.exec(body)?.[1] ?? '').split(',').filter(Boolean));
  }
  return out;
}

describe('fonts declared in the 公文 Word file', () => {
  it('gives each standard font the fallbacks Word tries when it is missing', async () => {
    const { fontTable, rels } = await openDocx();
    expect(rels).toContain('Target="fontTable.xml"');
    const table = altNames(fontTable);
    expect(table.get('仿宋_GB2312')).toEqual(['仿宋', 'FangSong']);
    expect(table.get('方正小标宋简体')).toEqual(expect.arrayContaining(['宋体', 'SimSun']));
    expect(table.get('黑体')).toEqual(['SimHei']);
    expect(table.get('楷体_GB2312')).toEqual(['楷体', 'KaiTi']);
    expect(table.get('宋体')).toEqual(['SimSun']);
    expect(fontTable).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName [^>]*\/><w:charset w:val="86"\/>/u);
  });

  it('declares every East Asian font the document uses, and marks the runs as East Asian', async () => {
    const { fontTable, parts } = await openDocx();
    const table = altNames(fontTable);
    const used = new Set([...parts.matchAll(/w:eastAsia="([^"]+)"/gu)].map((m) => m[1] ?? ''));
    expect(used.size).toBeGreaterThanOrEqual(3);
    for (const name of used) expect(table.get(name)?.length, name).toBeGreaterThan(0);
    expect(parts).toMatch(/<w:rFonts [^>]*w:hint="eastAsia"/u);
  });
});
