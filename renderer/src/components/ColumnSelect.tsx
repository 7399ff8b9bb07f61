import { useId } from 'react';
import { type ColumnNode, columnPaths, formatColumnPath } from '../../../shared/domain/settings';
import { useT } from '../state/settings';

/** Picks a column from the settings tree; every option shows its full path. */
export function ColumnSelect({
  tree,
  value,
  onChange,
  label,
  emptyLabel,
}: {
  tree: ColumnNode[];
  value: string[];
  onChange(next: string[]): void;
  label: string;
  emptyLabel: string;
}) {
  const t = useT();
  const id = useId();
  const paths = columnPaths(tree);
  const current = formatColumnPath(value);
  const known = value.length === 0 || paths.some((path) => formatColumnPath(path) === current);
  return (
    <span className="field-pair">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={current}
        onChange={(event) => {
          const picked = paths.find((path) => formatColumnPath(path) === event.target.value);
          onChange(picked ?? []);
        }}
      >
        <option value="">{emptyLabel}</option>
        {paths.map((path) => {
          const text = formatColumnPath(path);
          return (
            <option key={text} value={text}>
              {text}
            </option>
          );
        })}
        {known ? null : <option value={current}>{t('meta.column.unknown', { path: current })}</option>}
      </select>
    </span>
  );
}
