/** The start of a downloaded file's name: `text` with what no file system accepts replaced, at most 60 characters. */
export function exportName(text: string): string {
  const cleaned = text.replace(/[<>:"/\\|?*\p{Cc}]/gu, '_').trim().slice(0, 60);
  return cleaned || 'gazette';
}
