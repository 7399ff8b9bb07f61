import type { RulePackInfo } from '../../../shared/proofread/packs';
import type { OptionalPackInfo } from '../../../shared/api/contract';

/** Import files bigger than this are refused before reading: a pack is a word list, not a corpus. */
export const MAX_PACK_FILE_BYTES = 8 * 1024 * 1024;

/** A picked pack file as text with its format, or why it cannot be used. */
export type PackFile = { ok: true; text: string; format: 'json' | 'yaml' } | { ok: false; message: string };

/** The format a pack file's name says; JSON unless it ends in .yaml/.yml. */
export function packFormatOf(name: string): 'json' | 'yaml' {
  return /\.ya?ml$/i.test(name) ? 'yaml' : 'json';
}

/** Reads a picked pack file, refusing empty and oversized ones before anything is sent. */
export async function readPackFile(file: Pick<File, 'name' | 'size' | 'text'>): Promise<PackFile> {
  if (file.size > MAX_PACK_FILE_BYTES) return { ok: false, message: `文件过大（超过 ${MAX_PACK_FILE_BYTES / 1024 / 1024} MB）` };
  const text = (await file.text()).replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, message: '文件是空的' };
  return { ok: true, text, format: packFormatOf(file.name) };
}

/** The packs and unreadable-file messages out of a `proofread:packs` reply. */
export function packsFromReply(reply: { packs: RulePackInfo[]; problems?: { file: string; message: string }[]; optional?: OptionalPackInfo[] }): {
  packs: RulePackInfo[];
  problems: string[];
  optional: OptionalPackInfo[];
} {
  return {
    packs: reply.packs,
    problems: (reply.problems ?? []).map((problem) => `${problem.file}：${problem.message}`),
    optional: reply.optional ?? [],
  };
}
