import type { DefaultPackUpdate } from '../../../shared/proofread/pack-update';
import type { PackEntry } from '../../../shared/proofread/packs';
import { useT } from '../state/settings';

/** A newer version of a shipped pack read from a file, with what it changes, waiting for the admin's yes. */
export interface PendingUpdate {
  text: string;
  format: 'json' | 'yaml';
  preview: DefaultPackUpdate;
}

/** Entries listed per group; the rest are counted, so a list of thousands stays readable. */
const LISTED = 50;

const entryLine = (entry: PackEntry): string => (entry.suggestion ? `${entry.text} → ${entry.suggestion}` : entry.text);

/** What the update adds, removes and changes, with accept and cancel. Nothing is saved before accept. */
export function DefaultUpdatePreview(props: { pending: PendingUpdate; onAccept(): void; onCancel(): void }) {
  const t = useT();
  const { preview } = props.pending;
  const group = (title: string, lines: string[], testId: string) =>
    lines.length === 0 ? null : (
      <div data-testid={testId}>
        <h4>
          {title}（{lines.length}）
        </h4>
        <ul className="compact-list">
          {lines.slice(0, LISTED).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {lines.length > LISTED ? <p className="muted">{t('proof.settings.updateMore', { n: lines.length - LISTED })}</p> : null}
      </div>
    );
  return (
    <section className="panel" aria-live="polite" data-testid="default-pack-update">
      <h3>{t('proof.settings.updateHeading', { name: preview.name, from: preview.currentVersion, to: preview.newVersion })}</h3>
      <p>
        {t('proof.settings.updateSummary', { added: preview.added.length, removed: preview.removed.length, changed: preview.changed.length })}
      </p>
      <p className="muted">{t('proof.settings.source', { source: preview.source })}</p>
      {group(t('proof.settings.updateAdded'), preview.added.map(entryLine), 'update-added')}
      {group(t('proof.settings.updateRemoved'), preview.removed.map(entryLine), 'update-removed')}
      {group(
        t('proof.settings.updateChanged'),
        preview.changed.map(({ before, after }) => `${entryLine(before)}  ⇒  ${entryLine(after)}${after.note && after.note !== before.note ? `（${after.note}）` : ''}`),
        'update-changed',
      )}
      <div className="button-row">
        <button type="button" className="primary" onClick={props.onAccept}>
          {t('proof.settings.updateAccept')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('proof.settings.cancel')}
        </button>
      </div>
    </section>
  );
}
