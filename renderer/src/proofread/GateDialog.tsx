import { useId, useState } from 'react';
import { findingMessage } from '../../../shared/proofread/messages';
import type { Finding } from '../../../shared/proofread/types';
import { Dialog } from '../components/Dialog';
import { FieldError } from '../components/Field';
import { describeError } from '../state/errors';
import { useLocale, useT } from '../state/settings';
import { findingKey } from './marks';

/** Which gated step was refused. */
export type GatedAction = 'submit' | 'publish';

/**
 * Shown when submitting or publishing is refused because errors remain. Only
 * reviewers and publishers see the override: a written reason is required
 * and the services record it in the article's history.
 */
export function GateDialog(props: {
  action: GatedAction;
  errors: readonly Finding[];
  mayOverride: boolean;
  onOverride(finding: Finding, reason: string): Promise<void>;
  onReveal(finding: Finding): void;
  onRetry(): void;
  onClose(): void;
}) {
  const t = useT();
  const actionLabel = t(props.action === 'submit' ? 'proof.gate.submit' : 'proof.gate.publish');
  return (
    <Dialog
      title={t('proof.gate.title')}
      onClose={props.onClose}
      size="medium"
      footer={
        <>
          <button type="button" onClick={props.onClose}>
            {t('proof.gate.close')}
          </button>
          {props.errors.length === 0 ? (
            <button type="button" className="primary" onClick={props.onRetry}>
              {t('proof.gate.retry', { action: actionLabel })}
            </button>
          ) : null}
        </>
      }
    >
      <p>{t('proof.gate.intro', { n: props.errors.length, action: actionLabel })}</p>
      <ul className="proof-panel" data-testid="gate-errors">
        {props.errors.map((finding) => (
          <GateItem
            key={findingKey(finding)}
            finding={finding}
            mayOverride={props.mayOverride}
            onOverride={props.onOverride}
            onReveal={props.onReveal}
          />
        ))}
      </ul>
    </Dialog>
  );
}

function GateItem(props: {
  finding: Finding;
  mayOverride: boolean;
  onOverride(finding: Finding, reason: string): Promise<void>;
  onReveal(finding: Finding): void;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { finding } = props;

  const confirm = async () => {
    if (!reason.trim()) return setError(t('proof.gate.reasonRequired'));
    setBusy(true);
    setError(null);
    try {
      await props.onOverride(finding, reason.trim());
    } catch (caught) {
      setError(describeError(locale, caught));
      setBusy(false);
    }
  };

  return (
    <li className="proof-item sev-error" data-testid="gate-error">
      <button type="button" className="proof-jump" onClick={() => props.onReveal(finding)}>
        <span className="proof-text">{finding.text || finding.field}</span> {findingMessage(finding, locale)}
      </button>
      {props.mayOverride && !open ? (
        <div>
          <button type="button" className="small" onClick={() => setOpen(true)}>
            {t('proof.gate.override')}
          </button>
        </div>
      ) : null}
      {open ? (
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('proof.gate.reason')}</label>
          <textarea
            id={`${id}-reason`}
            value={reason}
            rows={2}
            maxLength={2000}
            onChange={(event) => setReason(event.target.value)}
          />
          <FieldError message={error} />
          <div className="button-row">
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              {t('proof.settings.cancel')}
            </button>
            <button type="button" className="primary" onClick={() => void confirm()} disabled={busy}>
              {t('proof.gate.override')}
            </button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
