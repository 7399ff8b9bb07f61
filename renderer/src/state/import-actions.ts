import type { ImportOutcome } from '../../../shared/api/contract';
import { api } from '../api/client';

/**
 * Imports one file (base64). With `allowDuplicate` material already in the
 * workspace is imported again on purpose; without it the answer names the
 * existing article instead.
 */
export function importFile(name: string, dataBase64: string, allowDuplicate = false): Promise<ImportOutcome> {
  return api.invoke('import:file', { name, dataBase64, ...(allowDuplicate ? { allowDuplicate } : {}) });
}

/** Imports pasted text (a portal page copied from the browser); `allowDuplicate` as for {@link importFile}. */
export function importPastedText(text: string, name: string, allowDuplicate = false): Promise<ImportOutcome> {
  return api.invoke('import:text', { text, name, ...(allowDuplicate ? { allowDuplicate } : {}) });
}
