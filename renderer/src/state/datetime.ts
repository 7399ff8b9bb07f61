/**
 * The publish date is stored as 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm' (office
 * local time); the form shows it as a date input plus an optional time input.
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
  const d = date.trim();
  // <input type=time step> may report seconds; the portal prints minutes.
  const t = time.trim().slice(0, 5);
  if (!d && !t) return { ok: true, value: null };
  if (!d) return { ok: false, reason: 'time_without_date' };
  if (!isRealYmd(d)) return { ok: false, reason: 'invalid_date' };
  if (!t) return { ok: true, value: d };
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(t)) return { ok: false, reason: 'invalid_time' };
  return { ok: true, value: `${d}T${t}` };
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
