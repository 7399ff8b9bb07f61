import JSZip from 'jszip';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/**
 * A minimal but valid Word file whose body is `body` (raw WordprocessingML),
 * plus any other parts. `store` packs without compression (so the file is as
 * large as it unpacks: no compression ratio to give it away).
 */
export function wordFile(body: string, options: { store?: boolean; parts?: Record<string, Buffer | string> } = {}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file('word/document.xml', `<?xml version="1.0"?><w:document ${W}><w:body>${body}</w:body></w:document>`);
  for (const [name, data] of Object.entries(options.parts ?? {})) zip.file(name, data);
  return zip.generateAsync({
    type: 'nodebuffer',
    compression: options.store ? 'STORE' : 'DEFLATE',
    compressionOptions: { level: 9 },
  });
}

/** One paragraph of text, as Word writes it. */
export const wordParagraph = (text: string): string => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

/** The bomb measured from outside: one million empty paragraphs (a few KB packed, 75 s and 3.9 GB for the converter). */
export const millionEmptyParagraphs = (options: { store?: boolean } = {}): Promise<Buffer> => wordFile('<w:p/>'.repeat(1_000_000), options);

/** A short article with a 16 MB "picture" of zeros inside: ~16 KB packed, 1000:1. */
export const zeroImageBomb = (): Promise<Buffer> =>
  wordFile(wordParagraph('关于召开会议的通知'), { parts: { 'word/media/image1.png': Buffer.alloc(16 * 1024 * 1024) } });

/**
 * A long document within every limit checked before the converter runs
 * (`paragraphs` of numbered text, packing about 10:1), heavy enough for the
 * converter to need far more than a small heap.
 */
export const longWordFile = (paragraphs: number): Promise<Buffer> =>
  wordFile(Array.from({ length: paragraphs }, (_, i) => wordParagraph(`第${i + 1}段：开发区党政办关于${(i * 7919) % 100_003}号事项的说明。`)).join(''));
