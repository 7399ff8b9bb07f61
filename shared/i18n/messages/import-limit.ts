import { defineMessages } from '../define';

/**
 * Why an import was refused before (or while) it was read: each names the
 * limit, so the writer knows what to change. Nothing in the workspace is
 * touched by a refused import.
 */
export default defineMessages(
  {
    'importLimit.fileBytes': '“{file}”有 {size} MB，超过导入上限 {limit} MB；请压缩其中的图片后再试。',
    'importLimit.textBytes': '“{file}”有 {size} MB，超过文本导入上限 {limit} MB，不像是一篇文章。',
    'importLimit.unpackedBytes': '“{file}”解压后有 {size} MB，超过上限 {limit} MB，未导入；请压缩其中的图片或拆分文档后再试。',
    'importLimit.xmlBytes': '“{file}”中的 {part} 解压后有 {size} MB，超过单个部件上限 {limit} MB，未导入；请拆分文档后再试。',
    'importLimit.entries': '“{file}”包含 {count} 个部件，超过上限 {limit} 个，不像是正常的 Word 文档，未导入。',
    'importLimit.ratio': '“{file}”中的 {part} 压缩比为 {ratio}:1，超过上限 {limit}:1，可能是恶意构造的压缩包，未导入。',
    'importLimit.paragraphs': '“{file}”有 {count} 个段落，超过段落数上限 {limit}，未导入；请拆分文档后再试。',
    'importLimit.elements': '“{file}”有 {count} 个 XML 元素，超过上限 {limit}，未导入；请拆分文档后再试。',
    'importLimit.understated': '“{file}”中的 {part} 实际内容比声明的 {size} MB 更大，文件已损坏或被篡改，未导入。',
    'importLimit.zip64': '“{file}”使用了超大压缩包格式（ZIP64），Word 文档不需要，未导入。',
    'importLimit.timeMs': '读取“{file}”超过 {limit} 秒仍未完成，已停止，未导入；请在 Word 或 WPS 中另存后再试，或拆分文档。',
    'importLimit.heapMb': '读取“{file}”所需内存超过上限 {limit} MB，已停止，未导入；请拆分文档或压缩图片后再试。',
    'importLimit.textChars': '粘贴的文本有 {count} 个字符，超过上限 {limit} 个字符，不像是一篇文章；请分开导入。',
  },
  {
    'importLimit.fileBytes': '“{file}” is {size} MB, over the import limit of {limit} MB; compress its images and try again.',
    'importLimit.textBytes': '“{file}” is {size} MB, over the text import limit of {limit} MB: that is not one article.',
    'importLimit.unpackedBytes': '“{file}” unpacks to {size} MB, over the limit of {limit} MB; not imported. Compress its images or split the document.',
    'importLimit.xmlBytes': '{part} in “{file}” unpacks to {size} MB, over the limit of {limit} MB for one part; not imported. Split the document.',
    'importLimit.entries': '“{file}” holds {count} parts, over the limit of {limit}: not a normal Word document; not imported.',
    'importLimit.ratio': '{part} in “{file}” is compressed {ratio}:1, over the limit of {limit}:1 — possibly a crafted archive; not imported.',
    'importLimit.paragraphs': '“{file}” has {count} paragraphs, over the limit of {limit}; not imported. Split the document.',
    'importLimit.elements': '“{file}” has {count} XML elements, over the limit of {limit}; not imported. Split the document.',
    'importLimit.understated': '{part} in “{file}” is larger than the {size} MB it declares: the file is damaged or tampered with; not imported.',
    'importLimit.zip64': '“{file}” uses the ZIP64 format, which no Word document needs; not imported.',
    'importLimit.timeMs': 'Reading “{file}” took over {limit} seconds and was stopped; not imported. Save it again in Word or WPS, or split it.',
    'importLimit.heapMb': 'Reading “{file}” needed more than the {limit} MB memory limit and was stopped; not imported. Split the document or compress its images.',
    'importLimit.textChars': 'The pasted text has {count} characters, over the limit of {limit}: that is not one article. Import it in parts.',
  },
);
