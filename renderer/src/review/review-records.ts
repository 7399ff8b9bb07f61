import type { ExportedFile, ReviewDiff } from '../../../shared/api/contract';
import { api } from '../api/client';

/** 版本对比 of two revisions, or of a revision and the current text (`to: 'current'`). */
export function loadDiff(articleId: string, sides: { from: string; to: string }): Promise<ReviewDiff> {
  return api.invoke('review:diff', { id: articleId, from: sides.from, to: sides.to });
}

/** The article's 审核表 as HTML (shown in a sandboxed frame) or PDF (base64, for download). */
export function loadSignoff(articleId: string, format: 'html' | 'pdf'): Promise<ExportedFile> {
  return api.invoke('review:signoff', { id: articleId, format });
}
