import { useId, useMemo } from 'react';
import type { ConflictChoice, ConflictField, ConflictHunk, SyncConflictView } from '../../../../../shared/api/contract/sync';
import type { Doc } from '../../../../../shared/domain/doc';
import type { MessageKey } from '../../../../../shared/i18n';
import { formatLocalMinute } from '../../../state/datetime';
import { describeError } from '../../../state/errors';
import { type Translator, useLocale, useT } from '../../../state/settings';
import { useStore } from '../../../state/store';
import type { ArticleConflict } from './article-conflict';
import { ConflictBlocks } from './ConflictBlocks';
import { type ConflictChoices, decisionProgress, fieldValueText, offersBoth, previewDoc, sideDifferences } from './conflict-logic';
import './conflict.css';

/** The labels the metadata panel gives each field a conflict can name. */
const FIELD_LABELS: Record<string, MessageKey> = {
  'meta.title': 'meta.title',
  'meta.subtitle': 'meta.subtitle',
  'meta.column': 'meta.column',
  'meta.publishAt': 'meta.publishDate',
  'meta.source': 'meta.source',
  'meta.author': 'meta.author',
  'meta.photographer': 'meta.photographer',
  'meta.editor': 'meta.editor',
  'meta.keywords': 'meta.keywords',
  'meta.summary': 'meta.summary',
  'meta.cover': 'meta.cover',
  'meta.template': 'conflict.field.template',
  'meta.meeting': 'meta.meeting',
  trash: 'conflict.field.trash',
  createdBy: 'conflict.field.createdBy',
  conflictOf: 'conflict.field.conflictOf',
  importedFrom: 'conflict.field.importedFrom',
};

function fieldLabel(t: Translator, field: string): string {
  const key = FIELD_LABELS[field];
  return key ? t(key) : field;
}

function localTime(iso: string | null): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : formatLocalMinute(date);
}

/**
 * 冲突待处理: the banner, then per metadata field and per hunk the two
 * versions side by side with a choice each, the decided text's preview and
 * 完成合并 once everything is decided. Renders the {@link ArticleConflict}
 * controller's state and calls its methods; nothing else.
 */
export function ConflictView({
  conflict,
  view,
  doc,
  resolveSrc,
}: {
  conflict: ArticleConflict;
  view: SyncConflictView;
  /** The article's document as stored now (it holds this desktop's blocks at each hunk). */
  doc: Doc;
  resolveSrc(src: string): string;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const { choices, resolving, resolveError } = useStore(conflict.store);
  const { decided, total } = decisionProgress(view, choices);
  const ready = decided === total && !resolving;
  const theirsName = view.theirsBy?.name ?? null;
  const theirsTime = localTime(view.theirsAt);
  const theirsLine = theirsName
    ? theirsTime
      ? t('conflict.theirsBy', { name: theirsName, time: theirsTime })
      : t('conflict.theirsByName', { name: theirsName })
    : theirsTime
      ? t('conflict.theirsAt', { time: theirsTime })
      : null;
  const theirsHeading = theirsName ? t('conflict.theirsNamed', { name: theirsName }) : t('conflict.theirs');
  const preview = useMemo(() => previewDoc(doc, view.hunks, choices.hunks), [doc, view.hunks, choices.hunks]);

  return (
    <section className="conflict-view" aria-labelledby={`${id}-title`} data-testid="conflict-view">
      <div className="banner banner-warning conflict-banner" role="status" data-testid="conflict-banner">
        <h2 id={`${id}-title`} className="conflict-title">
          {t('conflict.title')}
        </h2>
        <p>{t('conflict.banner', { total })}</p>
        <p>{t('conflict.locked')}</p>
        {theirsLine ? <p className="small">{theirsLine}</p> : null}
      </div>

      <div className="conflict-toolbar">
        <span className="conflict-progress" aria-live="polite" data-testid="conflict-progress">
          {t('conflict.progress', { decided, total })}
        </span>
        <button type="button" disabled={resolving} onClick={() => conflict.chooseAll('mine')}>
          {t('conflict.allMine')}
        </button>
        <button type="button" disabled={resolving} onClick={() => conflict.chooseAll('theirs')}>
          {t('conflict.allTheirs')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!ready}
          aria-describedby={ready ? undefined : `${id}-finish-hint`}
          onClick={() => void conflict.resolve()}
        >
          {resolving ? t('conflict.finishing') : t('conflict.finish')}
        </button>
        {decided < total ? (
          <span id={`${id}-finish-hint`} className="small muted">
            {t('conflict.finishHint')}
          </span>
        ) : null}
      </div>

      {resolveError ? (
        <div className="banner banner-error" role="alert" data-testid="conflict-error">
          <p>{t('conflict.resolveFailed', { detail: describeError(locale, resolveError) })}</p>
          <p>{t('conflict.choicesKept')}</p>
        </div>
      ) : null}

      {view.fields.length > 0 ? (
        <FieldChoices
          conflict={conflict}
          fields={view.fields}
          choices={choices}
          disabled={resolving}
          theirsHeading={theirsHeading}
        />
      ) : null}

      {view.hunks.map((hunk, index) => (
        <HunkChoice
          key={hunk.id}
          conflict={conflict}
          hunk={hunk}
          n={index + 1}
          total={view.hunks.length}
          choice={choices.hunks[hunk.id] ?? null}
          disabled={resolving}
          theirsHeading={theirsTime ? `${theirsHeading} · ${theirsTime}` : theirsHeading}
          resolveSrc={resolveSrc}
        />
      ))}

      <section className="conflict-preview" aria-labelledby={`${id}-preview`}>
        <h3 id={`${id}-preview`} className="panel-heading">
          {t('conflict.preview')}
        </h3>
        {preview ? (
          <>
            {decided < total ? <p className="small muted">{t('conflict.previewHint')}</p> : null}
            <div className="conflict-preview-doc" data-testid="conflict-preview">
              <ConflictBlocks blocks={preview.content} changed={[]} other={null} resolveSrc={resolveSrc} side="plain" />
            </div>
          </>
        ) : (
          <p className="notice" role="status">
            {t('conflict.previewUnavailable')}
          </p>
        )}
      </section>
    </section>
  );
}

const CHOICE_LABELS: Record<ConflictChoice, MessageKey> = {
  mine: 'conflict.keepMine',
  theirs: 'conflict.takeTheirs',
  both: 'conflict.keepBoth',
};

const CHOSEN_LABELS: Record<ConflictChoice, MessageKey> = {
  mine: 'conflict.chosen.mine',
  theirs: 'conflict.chosen.theirs',
  both: 'conflict.chosen.both',
};

/** One hunk: what happened, the two versions side by side, and its three (or two) choices. */
function HunkChoice({
  conflict,
  hunk,
  n,
  total,
  choice,
  disabled,
  theirsHeading,
  resolveSrc,
}: {
  conflict: ArticleConflict;
  hunk: ConflictHunk;
  n: number;
  total: number;
  choice: ConflictChoice | null;
  disabled: boolean;
  theirsHeading: string;
  resolveSrc(src: string): string;
}) {
  const t = useT();
  const id = useId();
  const changes = useMemo(() => sideDifferences(hunk), [hunk]);
  const takes: ConflictChoice[] = offersBoth(hunk) ? ['mine', 'theirs', 'both'] : ['mine', 'theirs'];
  const kept = (side: 'mine' | 'theirs') => (choice === null ? '' : choice === side || choice === 'both' ? ' is-kept' : ' is-dropped');
  // Compared with each other when both are there; a side facing a deletion is compared with the original.
  const otherOf = (side: 'mine' | 'theirs') =>
    hunk.mine.length > 0 && hunk.theirs.length > 0 ? (side === 'mine' ? hunk.theirs : hunk.mine) : hunk.base;

  return (
    <section
      className={`conflict-hunk${choice ? ' is-decided' : ''}`}
      aria-labelledby={`${id}-heading`}
      data-testid={`conflict-hunk-${n}`}
    >
      <header className="conflict-hunk-head">
        <h3 id={`${id}-heading`} className="panel-heading">
          {t('conflict.hunk.heading', { n, total })}
        </h3>
        <span className="small">{t(`conflict.hunk.${hunk.kind}`)}</span>
        <span className={`conflict-chosen small${choice ? '' : ' muted'}`}>
          {choice ? t(CHOSEN_LABELS[choice]) : t('conflict.undecided')}
        </span>
      </header>
      <div className="conflict-sides">
        <div className={`conflict-side conflict-side-mine${kept('mine')}`} data-testid="conflict-mine">
          <h4 className="conflict-side-title">{t('conflict.mine')}</h4>
          {hunk.mine.length > 0 ? (
            <ConflictBlocks blocks={hunk.mine} changed={changes.mine} other={otherOf('mine')} resolveSrc={resolveSrc} side="mine" />
          ) : (
            <p className="muted conflict-empty">{hunk.kind === 'deleted_here' ? t('conflict.deletedHere') : t('conflict.emptySide')}</p>
          )}
        </div>
        <div className={`conflict-side conflict-side-theirs${kept('theirs')}`} data-testid="conflict-theirs">
          <h4 className="conflict-side-title">{theirsHeading}</h4>
          {hunk.theirs.length > 0 ? (
            <ConflictBlocks
              blocks={hunk.theirs}
              changed={changes.theirs}
              other={otherOf('theirs')}
              resolveSrc={resolveSrc}
              side="theirs"
            />
          ) : (
            <p className="muted conflict-empty">{hunk.kind === 'deleted_there' ? t('conflict.deletedThere') : t('conflict.emptySide')}</p>
          )}
        </div>
      </div>
      <div className="button-row conflict-choices">
        {takes.map((take) => (
          <button
            key={take}
            type="button"
            className={choice === take ? 'primary' : undefined}
            aria-pressed={choice === take}
            aria-label={t('conflict.choiceLabel', { n, choice: t(CHOICE_LABELS[take]) })}
            disabled={disabled}
            onClick={() => conflict.chooseHunk(hunk.id, take)}
          >
            {t(CHOICE_LABELS[take])}
          </button>
        ))}
      </div>
      {hunk.base.length > 0 ? (
        <details className="conflict-base">
          <summary>{t('conflict.hunk.base')}</summary>
          <ConflictBlocks blocks={hunk.base} changed={[]} other={null} resolveSrc={resolveSrc} side="plain" />
        </details>
      ) : null}
    </section>
  );
}

/** The metadata fields both sides changed: the two values and a choice each. */
function FieldChoices({
  conflict,
  fields,
  choices,
  disabled,
  theirsHeading,
}: {
  conflict: ArticleConflict;
  fields: readonly ConflictField[];
  choices: ConflictChoices;
  disabled: boolean;
  theirsHeading: string;
}) {
  const t = useT();
  const id = useId();
  const shown = (field: string, value: unknown) => {
    if (field === 'trash') {
      const at = localTime((value as { trashedAt?: string | null } | null)?.trashedAt ?? null);
      return at ? `${t('conflict.field.inTrash')} ${at}` : t('conflict.field.notInTrash');
    }
    return fieldValueText(field, value) || t('conflict.field.empty');
  };
  return (
    <section className="conflict-fields" aria-labelledby={`${id}-fields`} data-testid="conflict-fields">
      <h3 id={`${id}-fields`} className="panel-heading">
        {t('conflict.fields')}
      </h3>
      <table className="conflict-field-table">
        <thead>
          <tr>
            <th scope="col">{t('conflict.field.col.field')}</th>
            <th scope="col">{t('conflict.mine')}</th>
            <th scope="col">{theirsHeading}</th>
            <th scope="col">
              <span className="gz-visually-hidden">{t('conflict.undecided')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const label = fieldLabel(t, field.field);
            const choice = choices.fields[field.field] ?? null;
            return (
              <tr key={field.field} className={choice ? 'is-decided' : undefined}>
                <th scope="row">{label}</th>
                <td className={choice === 'mine' ? 'is-kept' : choice ? 'is-dropped' : undefined}>{shown(field.field, field.mine)}</td>
                <td className={choice === 'theirs' ? 'is-kept' : choice ? 'is-dropped' : undefined}>{shown(field.field, field.theirs)}</td>
                <td>
                  <div className="button-row">
                    {(['mine', 'theirs'] as const).map((take) => (
                      <button
                        key={take}
                        type="button"
                        className={choice === take ? 'primary' : undefined}
                        aria-pressed={choice === take}
                        aria-label={t('conflict.fieldChoiceLabel', { field: label, choice: t(CHOICE_LABELS[take]) })}
                        disabled={disabled}
                        onClick={() => conflict.chooseField(field.field, take)}
                      >
                        {t(CHOICE_LABELS[take])}
                      </button>
                    ))}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** Why the conflict could not be read, with 重试; the editor stays as it was. */
export function ConflictLoadError({ conflict }: { conflict: ArticleConflict }) {
  const t = useT();
  const locale = useLocale();
  const { loadError, view } = useStore(conflict.store);
  if (!loadError || view) return null;
  return (
    <div className="banner banner-warning" role="status" data-testid="conflict-load-error">
      <p>{t('conflict.loadFailed', { detail: describeError(locale, loadError) })}</p>
      <div className="button-row">
        <button type="button" onClick={() => void conflict.refresh()}>
          {t('conflict.retry')}
        </button>
      </div>
    </div>
  );
}
