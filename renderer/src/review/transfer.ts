import type { ExportedFile, PackageImportResult } from '../../../shared/api/contract';
import { api } from '../api/client';
import { readFileAsBase64 } from '../state/files';

/** The chosen articles, with their review records, as one signed .gazette-package to carry to another workstation. */
export function exportPackage(articleIds: readonly string[]): Promise<ExportedFile> {
  return api.invoke('package:export', { ids: [...articleIds] });
}

/** Checks and imports a picked package; the answer lists every check and what was created (or why nothing was). */
export async function importPackage(file: Blob): Promise<PackageImportResult> {
  return api.invoke('package:import', { dataBase64: await readFileAsBase64(file) });
}
