import type { ImportOutcome } from '../../../shared/api/contract';

/** One file to import: a display name and a way to get its bytes as base64. */
export interface ImportItem {
  name: string;
  read(): Promise<string>;
}

export interface ImportProgress {
  done: number;
  total: number;
  current: string | null;
}

export type ImportSender = (name: string, dataBase64: string) => Promise<ImportOutcome>;

/**
 * Sends files one at a time (so progress is real and a huge folder does not
 * flood the main side). A file that cannot be read or is refused becomes a
 * failure in the summary; the run always goes on to the next file.
 */
export async function runImport(
  items: readonly ImportItem[],
  send: ImportSender,
  onProgress: (progress: ImportProgress) => void,
  shouldStop: () => boolean = () => false,
  describeFailure: (error: unknown) => string = (error) => (error instanceof Error ? error.message : String(error)),
): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  const total = items.length;
  for (const [index, item] of items.entries()) {
    if (shouldStop()) break;
    onProgress({ done: index, total, current: item.name });
    try {
      outcomes.push(await send(item.name, await item.read()));
    } catch (error) {
      outcomes.push({ ok: false, file: item.name, reason: describeFailure(error) });
    }
  }
  onProgress({ done: outcomes.length, total, current: null });
  return outcomes;
}

/** Counts for the summary line: imported, already in the workspace (not imported again), failed. */
export function countOutcomes(outcomes: readonly ImportOutcome[]): { imported: number; duplicates: number; failed: number } {
  let imported = 0;
  let duplicates = 0;
  for (const outcome of outcomes) {
    if (outcome.ok) imported++;
    else if (outcome.duplicate) duplicates++;
  }
  return { imported, duplicates, failed: outcomes.length - imported - duplicates };
}
