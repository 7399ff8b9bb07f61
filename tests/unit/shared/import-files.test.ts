import { describe, expect, it } from 'vitest';
import { IMPORTABLE_EXTENSIONS, isImportable } from '../../../shared/domain/import-files';

describe('isImportable', () => {
  it.each(['新闻.txt', 'page.HTML', 'page.htm', '会议纪要.DOCX', 'notes.text', 'D:\\稿件\\2021\\会议.docx', '/home/a/稿件/x.txt'])(
    'accepts %s',
    (name) => {
      expect(isImportable(name)).toBe(true);
    },
  );

  it.each(['照片.jpg', '旧稿.doc', '表格.xlsx', '~$会议.docx', '.DS_Store', '.txt', 'archive.docx.zip', 'README'])(
    'rejects %s',
    (name) => {
      expect(isImportable(name)).toBe(false);
    },
  );

  it('lists every extension it accepts, with the dot, in lower case', () => {
    for (const extension of IMPORTABLE_EXTENSIONS) {
      expect(extension).toMatch(/^\.[a-z]+$/u);
      expect(isImportable(`稿件${extension}`)).toBe(true);
    }
  });
});
