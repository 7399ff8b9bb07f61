import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { type ReviewEvent, ReviewEventSchema, type ReviewState, ReviewStateSchema } from '../../../shared/workflow/review-chain';
import { isMissing, readJsonFile, StoredFileError, writeFileAtomic } from '../store/atomic-file';

/** `articles/<id>/review.json`: the article's ReviewState, rewritten atomically. */
export const REVIEW_FILE = 'review.json';
/** `articles/<id>/events.jsonl`: the audit trail, one ReviewEvent per line, only ever appended to. */
export const EVENTS_FILE = 'events.jsonl';

/** The review state in `folder`, or null for an article never touched by review. */
export async function readReviewState(folder: string, articleId: string): Promise<ReviewState | null> {
  try {
    return await readJsonFile(join(folder, REVIEW_FILE), (raw, file) => {
      const parsed = ReviewStateSchema.safeParse(raw);
      if (!parsed.success) throw new StoredFileError('damaged', file, parsed.error.issues[0]?.message ?? 'invalid');
      if (parsed.data.articleId !== articleId) throw new StoredFileError('foreign', file, `belongs to ${parsed.data.articleId}`);
      return parsed.data;
    });
  } catch (error) {
    if (!(error instanceof StoredFileError)) throw error;
    // Guessing a state would either unlock a locked article or lose approvals; refuse instead.
    throw new ApiError(
      'damaged_file',
      `文稿 ${articleId} 的审核记录（${REVIEW_FILE}）已损坏：${error.message}。文稿内容未受影响；请从 ${REVIEW_FILE}.bak 恢复后再操作。`,
    );
  }
}

/** Writes the review state atomically, keeping the previous one as .bak. */
export async function writeReviewState(folder: string, state: ReviewState): Promise<void> {
  await writeFileAtomic(join(folder, REVIEW_FILE), `${JSON.stringify(state, null, 2)}\n`, { backup: true });
}

/** Appends events and fsyncs before returning, so an acknowledged transition is on disk. */
export async function appendEvents(folder: string, events: readonly ReviewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const handle = await open(join(folder, EVENTS_FILE), 'a');
  try {
    await handle.writeFile(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The audit trail, oldest first. A line that does not parse (a write torn by
 * a crash) is skipped and counted rather than hiding the rest of the history.
 */
export async function readEvents(folder: string): Promise<{ events: ReviewEvent[]; unreadable: number }> {
  let text: string;
  try {
    text = await readFile(join(folder, EVENTS_FILE), 'utf8');
  } catch (error) {
    if (isMissing(error)) return { events: [], unreadable: 0 };
    throw error;
  }
  const events: ReviewEvent[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = ReviewEventSchema.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data);
      else unreadable++;
    } catch {
      unreadable++;
    }
  }
  return { events, unreadable };
}
