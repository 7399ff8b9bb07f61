/** Separators a writer may type between keywords: commas (both widths), 顿号, semicolons. */
const SEPARATORS = /[,，、;；]/;

/**
 * Splits what is typed into the keyword box: every piece before a separator is
 * a finished keyword, the text after the last separator stays in the box.
 */
export function splitKeywordInput(input: string): { complete: string[]; rest: string } {
  const parts = input.split(SEPARATORS);
  const rest = parts.pop() ?? '';
  return { complete: parts.map((part) => part.trim()).filter(Boolean), rest: rest.replace(/^\s+/, '') };
}

/** Adds keywords, trimmed, skipping blanks and ones already present. */
export function addKeywords(existing: readonly string[], added: readonly string[]): string[] {
  const out = [...existing];
  for (const raw of added) {
    const keyword = raw.trim();
    if (keyword && !out.includes(keyword)) out.push(keyword);
  }
  return out;
}

/** Removes one keyword by position. */
export function removeKeyword(existing: readonly string[], index: number): string[] {
  return existing.filter((_, i) => i !== index);
}
