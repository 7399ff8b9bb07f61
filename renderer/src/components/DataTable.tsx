import type { ReactNode } from 'react';
import { useT } from '../state/settings';

/** A table of records: one header row of column headings (scope="col"), then the caller's rows. */
export function DataTable({
  headings,
  label,
  className,
  children,
}: {
  headings: readonly ReactNode[];
  /** The table's accessible name, where no heading right above it names it. */
  label?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <table className={className ? `data-table ${className}` : 'data-table'} aria-label={label}>
      <thead>
        <tr>
          {headings.map((heading, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a table's columns are fixed; their place is their identity
            <th key={index} scope="col">
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/**
 * The title cell of a row that opens an article: the title is a button, so the
 * keyboard can open what a mouse opens by clicking anywhere on the row.
 */
/** `label` shows instead of the plain title (the title with search matches marked). */
export function ArticleTitleCell({
  title,
  label,
  onOpen,
  children,
}: {
  title: string;
  label?: ReactNode;
  onOpen(): void;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <td className="cell-title">
      <button
        type="button"
        className="link-button"
        onClick={(event) => {
          // The row opens the article too; once is enough.
          event.stopPropagation();
          onOpen();
        }}
      >
        {title ? (label ?? title) : t('list.untitled')}
      </button>
      {children}
    </td>
  );
}
