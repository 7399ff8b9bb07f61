import type { PackEntry, RulePack } from './packs';

/** What a newer version of a shipped pack changes, shown to the admin before it is accepted. */
export interface DefaultPackUpdate {
  id: string;
  name: string;
  source: string;
  /** The version in use now (the shipped one, or one imported before). */
  currentVersion: string;
  newVersion: string;
  added: PackEntry[];
  removed: PackEntry[];
  /** Same word, different suggestion, severity, date or note. */
  changed: { before: PackEntry; after: PackEntry }[];
}

const same = (a: PackEntry, b: PackEntry): boolean =>
  a.suggestion === b.suggestion && a.severity === b.severity && a.since === b.since && a.note === b.note;

/** The entries `next` adds, removes and changes compared with `current` (words compared by their text). */
export function diffPacks(current: RulePack, next: RulePack): DefaultPackUpdate {
  const before = new Map(current.entries.map((entry) => [entry.text, entry]));
  const after = new Map(next.entries.map((entry) => [entry.text, entry]));
  const added: PackEntry[] = [];
  const changed: DefaultPackUpdate['changed'] = [];
  for (const entry of after.values()) {
    const old = before.get(entry.text);
    if (!old) added.push(entry);
    else if (!same(old, entry)) changed.push({ before: old, after: entry });
  }
  const removed = [...before.values()].filter((entry) => !after.has(entry.text));
  return {
    id: next.id,
    name: next.name,
    source: next.source,
    currentVersion: current.version,
    newVersion: next.version,
    added,
    removed,
    changed,
  };
}
