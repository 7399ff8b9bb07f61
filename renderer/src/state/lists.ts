/** Small immutable list edits shared by the attendees, units and similar editors. */

/** Moves the item at `index` by `delta`; out-of-range moves return the list unchanged. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  copy.splice(target, 0, item as T);
  return copy;
}

/** Replaces the item at `index`. */
export function replaceItem<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((existing, i) => (i === index ? item : existing));
}

/** Removes the item at `index`. */
export function removeItem<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

export type UnitEditError = 'name_required' | 'name_duplicate';

/** Adds or renames a source unit, refusing blanks and duplicates. */
export function editUnit(
  units: readonly string[],
  name: string,
  index?: number,
): { ok: true; units: string[] } | { ok: false; error: UnitEditError } {
  const trimmed = name.trim();
  if (!trimmed) return { ok: false, error: 'name_required' };
  if (units.some((unit, i) => i !== index && unit === trimmed)) return { ok: false, error: 'name_duplicate' };
  if (index === undefined) return { ok: true, units: [...units, trimmed] };
  return { ok: true, units: replaceItem(units, index, trimmed) };
}
