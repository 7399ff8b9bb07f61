/**
 * Dates as an office prints them: `2026年12月3日 14:05`, in the office's own
 * time zone. Printed forms are read and filed in the office, so the wall clock
 * shown must be Beijing time whatever zone the machine that printed it is set
 * to (a laptop on UTC, a CI runner) — nothing here reads the machine's zone.
 */

/** The zone every printed time is shown in. */
export const OFFICE_TIME_ZONE = 'Asia/Shanghai';

// Formatters are costly to build and a sheet formats dozens of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // `hourCycle: 'h23'` rather than `hour12: false`: the latter prints midnight as 24:00 in some engines.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const pad = (n: number) => String(n).padStart(2, '0');

function isRealDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function chineseDate(year: number, month: number, day: number): string {
  return `${year}年${month}月${day}日`;
}

// A date, or a date and time, with no zone: already office wall-clock time (the article's publishAt is kept so).
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/;
// An instant: a zone (Z or ±hh:mm) is required, since without one `Date` would read it in the machine's zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Whether the text is an instant: a date and time with its zone (`Z` or `±hh:mm`). */
export function isInstant(text: string): boolean {
  return INSTANT.test(text.trim());
}

/**
 * `2026年12月3日 14:05` for an instant (`2026-12-03T06:05:00Z`) shown in
 * `timeZone`; `2026年12月3日` / `2026年12月3日 14:05` for an office-local date or
 * date-time without a zone (`2026-12-03`, `2026-12-03T14:05`), shown as written.
 * Empty for null or empty input. Text that is neither is returned unchanged:
 * printing what the record says beats printing a guessed date.
 */
export function formatOfficeTime(value: string | null | undefined, timeZone: string = OFFICE_TIME_ZONE): string {
  if (!value) return '';
  const text = value.trim();
  const local = LOCAL.exec(text);
  if (local) {
    const [y, mo, d, h, mi] = local.slice(1).map((n) => (n === undefined ? undefined : Number(n)));
    if (!isRealDay(y ?? 0, mo ?? 0, d ?? 0) || (h ?? 0) > 23 || (mi ?? 0) > 59) return value;
    const date = chineseDate(y ?? 0, mo ?? 0, d ?? 0);
    return h === undefined ? date : `${date} ${pad(h)}:${pad(mi ?? 0)}`;
  }
  if (!INSTANT.test(text)) return value;
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return value;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0 } = parts;
  return `${chineseDate(year, month, day)} ${pad(hour)}:${pad(minute)}`;
}
