import { defineMessages } from '../define';

/** What a 公文 export (Word, PDF, print) says it substituted or left out, for the person exporting. */
export default defineMessages(
  {
    'exportNote.fontsUnknown': '无法查询本机字体（fc-list 不可用），未检查公文字体是否齐全。',
    'exportNote.fontSubstituted.docx': '本机未安装“{wanted}”（本机显示时以“{used}”代替）；Word 文件仍指定“{wanted}”，在装有该字体的电脑上按原字体显示。',
    'exportNote.fontSubstituted.pdf': '本机未安装“{wanted}”，PDF 中以“{used}”代替。',
    'exportNote.fontMissing.docx': '本机未安装“{wanted}”及其替代字体（{fallbacks}），Word 文件仍指定该字体。',
    'exportNote.fontMissing.pdf': '本机未安装“{wanted}”及其替代字体（{fallbacks}），PDF 使用浏览器的默认字体。',
    'exportNote.image.docx': '图片“{image}”无法放入 Word 文件（文件缺失或格式不是 PNG/JPG/GIF/BMP）。',
    'exportNote.image.print': '图片“{image}”无法读取，打印稿中缺少这张图片。',
    'exportNote.writtenDateRewritten': '成文日期“{text}”已按 GB/T 9704-2012 写作“{written}”（阿拉伯数字）。',
    'exportNote.noTitle': '文章没有标题，公文标题处留空。',
    'exportNote.noSignature': '正文中没有标为“落款”的段落，成文日期未写入；请在编辑器中把发文机关署名标为落款。',
  },
  {
    'exportNote.fontsUnknown': 'Could not list this computer’s fonts (fc-list is not available), so the document fonts were not checked.',
    'exportNote.fontSubstituted.docx':
      '“{wanted}” is not installed here (shown here as “{used}”); the Word file still asks for “{wanted}” and shows it on computers that have it.',
    'exportNote.fontSubstituted.pdf': '“{wanted}” is not installed here; the PDF uses “{used}” instead.',
    'exportNote.fontMissing.docx': 'Neither “{wanted}” nor its substitutes ({fallbacks}) are installed here; the Word file still asks for it.',
    'exportNote.fontMissing.pdf': 'Neither “{wanted}” nor its substitutes ({fallbacks}) are installed here; the PDF uses the browser’s default font.',
    'exportNote.image.docx': 'Image “{image}” could not be put into the Word file (the file is missing or not PNG/JPG/GIF/BMP).',
    'exportNote.image.print': 'Image “{image}” could not be read; it is missing from the print copy.',
    'exportNote.writtenDateRewritten': 'Date written “{text}” is written “{written}” (Arabic numerals), as GB/T 9704-2012 requires.',
    'exportNote.noTitle': 'The article has no title; the document title is left empty.',
    'exportNote.noSignature':
      'No paragraph is marked as the signature (落款), so the date written was not added; mark the issuing organ’s name as 落款 in the editor.',
  },
);
