/** File name endings the importer reads (lower case, with the dot). */
export const IMPORTABLE_EXTENSIONS = ['.txt', '.text', '.htm', '.html', '.docx'] as const;

/**
 * Whether a file in a picked folder should be offered to the importer. Word's
 * lock files (~$报告.docx) and hidden files share the extension but are not articles.
 */
export function isImportable(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  if (!base || base.startsWith('.') || base.startsWith('~$')) return false;
  const lower = base.toLowerCase();
  return IMPORTABLE_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}
