/**
 * The publish date is stored as 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm' (office
 * local time); the form shows it as a date field plus an optional time field,
 * both plain text in that fixed form (a native date input would follow the
 * browser's language: mm/dd/yyyy and AM/PM on an English system).
 */

/** Splits a stored value into the two inputs' values. */
export function splitDateTime(value: string | null): { date: string; time: string } {
  if (!value) return { date: '', time: '' };
  const [date = '', time = ''] = value.split('T');
  return { date, time: time.slice(0, 5) };
}

export type ComposedDateTime =
  | { ok: true; value: string | null }
  | { ok: false; reason: 'time_without_date' | 'invalid_date' | 'invalid_time' };

/** Joins the inputs' values into the stored form (null when both are empty). */
export function composeDateTime(date: string, time: string): ComposedDateTime {
  const d = normalizeDateInput(date);
  const t = normalizeTimeInput(time);
  if (!d && !t) return { ok: true, value: null };
  if (!d) return { ok: false, reason: 'time_without_date' };
  if (!isRealYmd(d)) return { ok: false, reason: 'invalid_date' };
  if (!t) return { ok: true, value: d };
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(t)) return { ok: false, reason: 'invalid_time' };
  return { ok: true, value: `${d}T${t}` };
}

/**
 * What a writer typed into a date field, in the stored 'YYYY-MM-DD' form when
 * it can be read without guessing: 2024-5-9, 2024/05/09, 2024.5.9 and
 * 2024年5月9日 all mean the same day. Anything else comes back as typed, so
 * the field can say it is not a date and the text is not lost.
 */
export function normalizeDateInput(text: string): string {
  const m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$/.exec(text);
  return m ? `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` : text.trim();
}

/**
 * A typed time in the stored 24-hour 'HH:mm' form: 9:05, 09:05:30 and 9点05
 * alike (the portal prints minutes, so seconds are dropped); anything else as typed.
 */
export function normalizeTimeInput(text: string): string {
  const m = /^\s*(\d{1,2})\s*[:：点时]\s*(\d{2})(?::\d{2})?\s*分?\s*$/.exec(text);
  return m ? `${pad(Number(m[1]))}:${m[2]}` : text.trim();
}

function isRealYmd(ymd: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return false;
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, day));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === day;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** 'YYYY-MM-DD HH:mm' in local time. */
export function formatLocalMinute(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** 'HH:mm:ss' in local time, as the save indicator shows it. */
export function formatLocalTime(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** How long ago, for the list: just now, minutes ago, hours ago today, else the full minute. */
export type RelativeTime =
  | { kind: 'just_now' }
  | { kind: 'minutes'; count: number }
  | { kind: 'hours'; count: number }
  | { kind: 'absolute'; text: string };

/** Picks the relative form for `iso` as seen at `now`; unparsable input is shown as is. */
export function relativeTime(iso: string, now: Date): RelativeTime {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return { kind: 'absolute', text: iso };
  const diffMs = now.getTime() - then.getTime();
  // A little skew between the saving side's clock and ours is still "just now".
  if (diffMs < -60_000) return { kind: 'absolute', text: formatLocalMinute(then) };
  if (diffMs < 60_000) return { kind: 'just_now' };
  if (diffMs < 3_600_000) return { kind: 'minutes', count: Math.floor(diffMs / 60_000) };
  const sameDay =
    then.getFullYear() === now.getFullYear() && then.getMonth() === now.getMonth() && then.getDate() === now.getDate();
  if (sameDay) return { kind: 'hours', count: Math.floor(diffMs / 3_600_000) };
  return { kind: 'absolute', text: formatLocalMinute(then) };
}

/** The publish date as the list shows it: 'YYYY-MM-DD' or 'YYYY-MM-DD HH:mm'. */
export function formatPublishAt(value: string | null): string {
  return value ? value.replace('T', ' ') : '';
}
