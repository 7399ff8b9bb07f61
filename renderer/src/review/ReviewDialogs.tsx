import { useEffect, useState } from 'react';
import type { ExportedFile, ReviewDiff } from '../../../shared/api/contract';
import type { RevisionSummary } from '../../../shared/domain/article';
import { Dialog } from '../components/Dialog';
import { DialogButtons } from '../components/DialogButtons';
import { Field, FieldError } from '../components/Field';
import { formatLocalMinute } from '../state/datetime';
import { downloadExportedFile } from '../state/files';
import { useLocale, useT } from '../state/settings';
import { listVersions } from '../state/versions';
import { reviewErrorText } from './review-errors';
import type { TrailEvent } from '../../../shared/record/verify';
import type { Approval } from '../../../shared/workflow/review-chain';
import { approvalRevision, defaultDiffSides } from './review-logic';
import { loadDiff, loadSignoff } from './review-records';

/** A dialog asking for one text (submit note, approval opinion, reason for changes). */
export function TextPromptDialog(props: {
  title: string;
  label: string;
  confirmLabel: string;
  required?: boolean;
  requiredMessage?: string;
  intro?: string;
  danger?: boolean;
  onConfirm(text: string): Promise<void>;
  onClose(): void;
}) {
  const locale = useLocale();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (props.required && !text.trim()) return setError(props.requiredMessage ?? null);
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm(text.trim());
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      size="small"
      footer={
        <DialogButtons
          confirmLabel={props.confirmLabel}
          danger={props.danger}
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={props.onClose}
        />
      }
    >
      {props.intro ? <p>{props.intro}</p> : null}
      <Field label={props.label}>
        {(control) => (
          <textarea {...control} rows={4} value={text} maxLength={10_000} onChange={(e) => setText(e.target.value)} data-autofocus />
        )}
      </Field>
      <FieldError message={error} />
    </Dialog>
  );
}

function localMinute(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
}

function revisionLabel(revision: RevisionSummary): string {
  return [revision.name, revision.author?.name, localMinute(revision.createdAt)].filter(Boolean).join(' · ');
}

function revisionOptions(revisions: readonly RevisionSummary[]) {
  return revisions.map((revision) => (
    <option key={revision.id} value={revision.id}>
      {revisionLabel(revision)}
    </option>
  ));
}

/** An approval of an earlier version whose changes since are to be shown (查看修改). */
export interface DiffSinceApproval {
  approval: Approval;
  stageName: string;
  approverName: string;
  /** The article's trail, to find the revision the approval kept. */
  events: readonly TrailEvent[];
}

/**
 * 版本对比: two revisions (or a revision and the current text), inline by
 * character, metadata as a list. With `since`, it opens on the version an
 * approval was given to against the current text.
 */
export function DiffDialog({ articleId, since, onClose }: { articleId: string; since?: DiffSinceApproval; onClose(): void }) {
  const t = useT();
  const locale = useLocale();
  const [revisions, setRevisions] = useState<RevisionSummary[] | null>(null);
  const [sides, setSides] = useState<{ from: string; to: string } | null>(null);
  const [diff, setDiff] = useState<ReviewDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [approvedVersionMissing, setApprovedVersionMissing] = useState(false);

  useEffect(() => {
    listVersions(articleId).then(
      (list) => {
        const sorted = [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        setRevisions(sorted);
        const approved = since ? approvalRevision(since.approval, sorted, since.events) : null;
        setApprovedVersionMissing(since !== undefined && approved === null);
        setSides(approved ? { from: approved.id, to: 'current' } : defaultDiffSides(sorted));
      },
      (caught: unknown) => setError(reviewErrorText(locale, caught)),
    );
  }, [articleId, since, locale]);

  useEffect(() => {
    if (!sides) return;
    let cancelled = false;
    setDiff(null);
    loadDiff(articleId, sides).then(
      (result) => {
        if (!cancelled) setDiff(result);
      },
      (caught: unknown) => {
        if (!cancelled) setError(reviewErrorText(locale, caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [articleId, sides, locale]);

  return (
    <Dialog title={since ? t('review.ui.viewChangesLabel', { stage: since.stageName }) : t('review.ui.diff.title')} onClose={onClose} size="large">
      {since && !approvedVersionMissing ? (
        <p className="small">
          {t('review.ui.diff.sinceApproval', {
            stage: since.stageName,
            name: since.approverName,
            at: localMinute(since.approval.at),
          })}
        </p>
      ) : null}
      {since && approvedVersionMissing ? (
        <p className="notice" role="status">
          {t('review.ui.diff.approvalRevisionMissing', { stage: since.stageName })}
        </p>
      ) : null}
      {revisions && revisions.length === 0 ? <p className="muted">{t('review.ui.diff.noRevisions')}</p> : null}
      {revisions && sides ? (
        <div className="diff-pickers">
          <Field inline label={t('review.ui.diff.from')}>
            {(control) => (
              <select {...control} value={sides.from} onChange={(e) => setSides({ ...sides, from: e.target.value })}>
                {revisionOptions(revisions)}
              </select>
            )}
          </Field>
          <Field inline label={t('review.ui.diff.to')}>
            {(control) => (
              <select {...control} value={sides.to} onChange={(e) => setSides({ ...sides, to: e.target.value })}>
                <option value="current">{t('review.ui.diff.current')}</option>
                {revisionOptions(revisions)}
              </select>
            )}
          </Field>
        </div>
      ) : null}
      <FieldError message={error} />
      {sides && !diff && !error ? <p className="muted">{t('common.loading')}</p> : null}
      {diff ? (
        <>
          <p className="small muted">
            {t('review.ui.diff.summary', { inserted: diff.inserted, deleted: diff.deleted })}
            {diff.from.author ? ` · ${t('review.ui.diff.fromBy', { name: diff.from.author.name })}` : ''}
            {diff.to.author ? ` · ${t('review.ui.diff.toBy', { name: diff.to.author.name })}` : ''}
          </p>
          {diff.editors.length > 0 ? (
            <p className="small">
              {t('review.ui.diff.editors', {
                names: [...new Set(diff.editors.map((editor) => editor.name))].join(t('review.ui.listSeparator')),
              })}
            </p>
          ) : null}
          <div className="diff-text" data-testid="diff-text">
            {diff.text.map((segment, index) =>
              segment.op === 'insert' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their order
                <ins key={index} className="diff-ins">
                  {segment.text}
                </ins>
              ) : segment.op === 'delete' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their order
                <del key={index} className="diff-del">
                  {segment.text}
                </del>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their order
                <span key={index}>{segment.text}</span>
              ),
            )}
          </div>
          <h3 className="panel-heading">{t('review.ui.diff.meta')}</h3>
          {diff.meta.length === 0 ? <p className="muted small">{t('review.ui.diff.noMeta')}</p> : null}
          <ul className="meta-changes">
            {diff.meta.map((change) => (
              <li key={change.field}>
                <strong>{change.field}</strong>：<del className="diff-del">{change.beforeText || '—'}</del> →{' '}
                <ins className="diff-ins">{change.afterText || '—'}</ins>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Dialog>
  );
}

/** 审核表: the services' HTML in a sandboxed frame (no scripts, no same-origin), with HTML and PDF downloads. */
export function SignoffDialog({ articleId, onClose }: { articleId: string; onClose(): void }) {
  const t = useT();
  const locale = useLocale();
  const [sheet, setSheet] = useState<ExportedFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadSignoff(articleId, 'html').then(setSheet, (caught: unknown) =>
      setError(reviewErrorText(locale, caught)),
    );
  }, [articleId, locale]);

  const downloadPdf = async () => {
    setBusy(true);
    setError(null);
    try {
      downloadExportedFile(await loadSignoff(articleId, 'pdf'));
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('review.ui.signoff.title')}
      onClose={onClose}
      size="large"
      footer={
        <>
          <button type="button" disabled={!sheet} onClick={() => sheet && downloadExportedFile(sheet)}>
            {t('review.ui.signoff.html')}
          </button>
          <button type="button" disabled={busy} onClick={() => void downloadPdf()}>
            {t('review.ui.signoff.pdf')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
        </>
      }
    >
      <FieldError message={error} />
      {sheet ? (
        <iframe className="signoff-frame" title={t('review.ui.signoff.title')} sandbox="" srcDoc={sheet.content} />
      ) : error ? null : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </Dialog>
  );
}
