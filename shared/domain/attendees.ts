import type { Attendee, AttendeeRole, GroupAttendee, Headcount, Meeting } from './article';
import type { Doc, DocNode } from './doc';

/**
 * The closing sentence of Chinese meeting news ("……共计150余人参加会议。") and the
 * host phrase of its lead, both generated from the structured meeting data so
 * the app can rewrite them whenever the writer edits the attendee list.
 */

/** Roles that appear in the closing sentence, in the order official copy lists them. */
export const CLOSING_SENTENCE_ROLES: readonly AttendeeRole[] = ['出席', '参加', '列席'];

/** How one attendee is printed: a person as 单位 + 职务 + 姓名, a group by its name. */
export function attendeeLabel(attendee: Attendee): string {
  if (attendee.kind === 'group') return attendee.name.trim();
  return `${attendee.unit.trim()}${attendee.title.trim()}${attendee.name.trim()}`;
}

/** 共计150余人 / 共计150人. */
export function headcountPhrase(headcount: Headcount | null): string {
  if (!headcount) return '';
  return `共计${headcount.count}${headcount.approximate ? '余' : ''}人`;
}

/**
 * Joins one role's list. Items that already contain 、 (e.g. 新东产业集聚区、小店镇负责同志)
 * are separated by ， instead, as in the sample, otherwise the reader cannot tell
 * where one group ends and the next begins.
 */
function joinItems(items: string[]): string {
  const separator = items.some((item) => item.includes('、')) ? '，' : '、';
  return items.join(separator);
}

/** The standard closing sentence, e.g. `……重点企业负责人共计150余人参加会议。`; '' when there is nothing to say. */
export function attendeesSentence(meeting: Meeting): string {
  const clauses: string[] = [];
  for (const role of CLOSING_SENTENCE_ROLES) {
    const items = meeting.attendees
      .filter((attendee) => attendee.role === role)
      .map(attendeeLabel)
      .filter((label) => label.length > 0);
    const count = role === '参加' ? headcountPhrase(meeting.headcount) : '';
    if (items.length === 0 && !count) continue;
    clauses.push(`${joinItems(items)}${count}${role}会议`);
  }
  if (clauses.length === 0) return '';
  return `${toFullWidthPunctuation(clauses.join('；'))}。`;
}

/** Who chaired, for the lead: `区党工委书记刘思江主持并讲话`; '' when nobody is named. */
export function hostPhrase(meeting: Meeting, options: { speech?: boolean } = {}): string {
  const hosts = meeting.host.trim()
    ? [meeting.host.trim()]
    : meeting.attendees.filter((attendee) => attendee.role === '主持').map(attendeeLabel);
  if (hosts.length === 0) return '';
  const verb = options.speech === false ? '主持会议' : '主持并讲话';
  return `${toFullWidthPunctuation(hosts.join('、'))}${verb}`;
}

/** Official copy uses full-width punctuation only; names typed on an English keyboard may not. */
export function toFullWidthPunctuation(text: string): string {
  return text
    .replace(/,/g, '，')
    .replace(/;/g, '；')
    .replace(/:/g, '：')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）');
}

function isAttendeesParagraph(node: DocNode): boolean {
  return node.type === 'paragraph' && node.attrs?.role === 'attendees';
}

/**
 * Rewrites the paragraph marked `role: 'attendees'` from the meeting data, appends
 * one when the doc has none, and removes it when there is nothing to say. Pure.
 */
export function refreshAttendeesParagraph(doc: Doc, meeting: Meeting): Doc {
  const sentence = attendeesSentence(meeting);
  const index = doc.content.findIndex(isAttendeesParagraph);
  const content = [...doc.content];
  if (!sentence) {
    if (index >= 0) content.splice(index, 1);
    if (content.length === 0) content.push({ type: 'paragraph' });
    return { ...doc, content };
  }
  const existing = index >= 0 ? content[index] : undefined;
  const refreshed: DocNode = {
    type: 'paragraph',
    attrs: { ...(existing?.attrs ?? {}), role: 'attendees' },
    content: [{ type: 'text', text: sentence }],
  };
  if (index >= 0) content[index] = refreshed;
  else content.push(refreshed);
  return { ...doc, content };
}

const CLOSING_CLAUSE =
  /^(.*?)(?:共计|共|等)?(?:(\d+)(余)?(?:人|名))?(出席|参加|列席)(?:了)?(?:会议|本次会议)$/u;

/**
 * Reads a closing attendees sentence back into structured data (every item
 * becomes a group, since 单位/职务/姓名 cannot be told apart reliably). Returns
 * null unless {@link attendeesSentence} would print the same sentence again
 * (ignoring half- vs full-width punctuation), so nothing the writer wrote is lost
 * when the paragraph is later refreshed.
 */
export function parseAttendeesSentence(
  sentence: string,
): { attendees: GroupAttendee[]; headcount: Headcount | null } | null {
  const normalised = toFullWidthPunctuation(sentence.trim());
  if (!normalised.endsWith('。')) return null;
  const clauses = normalised.slice(0, -1).split('；');
  const attendees: GroupAttendee[] = [];
  let headcount: Headcount | null = null;
  for (const clause of clauses) {
    const match = CLOSING_CLAUSE.exec(clause);
    if (!match) return null;
    const [, list = '', count, approximate, role] = match;
    if (count) {
      if (role !== '参加' || headcount) return null;
      headcount = { count: Number(count), approximate: approximate === '余' };
    }
    const items = list.includes('，') ? list.split('，') : list.split('、');
    for (const item of items) {
      const name = item.trim();
      if (name) attendees.push({ kind: 'group', name, role: role as AttendeeRole });
    }
  }
  if (attendees.length === 0 && !headcount) return null;
  const regenerated = attendeesSentence({ name: '', host: '', place: '', attendees, headcount });
  return regenerated === normalised ? { attendees, headcount } : null;
}
