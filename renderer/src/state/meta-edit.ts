import { type ArticleMeta, ArticleMetaCompleteSchema, type Meeting, MeetingSchema } from '../../../shared/domain/article';

/**
 * The form may hold half-filled rows (an attendee without a name yet, a
 * keyword being typed); those must not make the server refuse an autosave,
 * so they are left out of what is sent while staying on screen.
 */
export function toStorableMeta(meta: ArticleMeta): ArticleMeta {
  const meeting: Meeting | null = meta.meeting
    ? {
        ...meta.meeting,
        attendees: meta.meeting.attendees.filter((attendee) => attendee.name.trim() !== ''),
        headcount:
          meta.meeting.headcount && Number.isInteger(meta.meeting.headcount.count) && meta.meeting.headcount.count > 0
            ? meta.meeting.headcount
            : null,
      }
    : null;
  return {
    ...meta,
    column: meta.column.map((name) => name.trim()).filter(Boolean),
    keywords: meta.keywords.map((keyword) => keyword.trim()).filter(Boolean),
    cover: meta.cover?.src ? meta.cover : null,
    meeting,
  };
}

/** Field → message key for what is still missing before hand-off (never blocks saving). */
export function metaIssues(meta: ArticleMeta): Record<string, string> {
  const result = ArticleMetaCompleteSchema.safeParse(toStorableMeta(meta));
  if (result.success) return {};
  const issues: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!(field in issues)) issues[field] = issue.message;
  }
  return issues;
}

/** A fresh, empty meeting section. */
export function emptyMeeting(): Meeting {
  return MeetingSchema.parse({});
}
