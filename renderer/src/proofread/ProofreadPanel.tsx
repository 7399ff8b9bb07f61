import { findingMessage } from '../../../shared/proofread/messages';
import type { Finding, Severity } from '../../../shared/proofread/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useLocale, useT } from '../state/settings';
import type { ProofreadState } from './checker';
import { findingKey } from './marks';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'hint'];
/** The findings grouped by severity, each group in text order. */
export function groupFindings(findings: readonly Finding[]): Record<Severity, Finding[]> {
  const groups: Record<Severity, Finding[]> = { error: [], warning: [], hint: [] };
  for (const finding of findings) groups[finding.severity].push(finding);
  for (const severity of SEVERITIES) groups[severity].sort((a, b) => a.start - b.start || a.end - b.end);
  return groups;
}

/** Findings with the same rule and the same fix (104 half-width commas), for one "change all" per kind; only kinds seen more than once. */
export function fixBatches(findings: readonly Finding[]): { suggestion: string; findings: Finding[] }[] {
  const batches = new Map<string, { suggestion: string; findings: Finding[] }>();
  for (const finding of findings) {
    if (finding.suggestion === undefined || finding.end <= finding.start) continue;
    const key = `${finding.rule}\u0000${finding.text}\u0000${finding.suggestion}`;
    const batch = batches.get(key) ?? { suggestion: finding.suggestion, findings: [] };
    batch.findings.push(finding);
    batches.set(key, batch);
  }
  return [...batches.values()].filter((batch) => batch.findings.length > 1);
}

/** The 校对 tab: counts, then findings by severity; items jump to their text and offer the one-click fix. */
export function ProofreadPanel(props: {
  state: ProofreadState<unknown>;
  findings: readonly Finding[];
  /** Errors the writer hid with 忽略: out of view, yet they still stop a submission. */
  ignoredErrors?: number;
  packsError: string | null;
  readOnly: boolean;
  onReveal(finding: Finding): void;
  onApply(finding: Finding): void;
  onApplyAll(findings: readonly Finding[]): void;
}) {
  const t = useT();
  const groups = groupFindings(props.findings);
  const counts = props.state.counts;
  return (
    <section className="proof-panel" aria-label={t('proof.heading')} data-testid="proof-panel">
      {counts ? (
        <p className="proof-counts" data-testid="proof-counts">
          {t('proof.counts', {
            words: counts.characters,
            han: counts.hanCharacters,
            paragraphs: counts.paragraphs,
            minutes: counts.readingMinutes,
          })}
        </p>
      ) : null}
      <ErrorBanner message={props.packsError && t('proof.failed', { detail: props.packsError })} />
      <ErrorBanner
        message={props.state.status === 'failed' && props.state.error ? t('proof.failed', { detail: props.state.error }) : null}
      />
      <p className="muted" aria-live="polite" data-testid="proof-summary">
        {props.state.status === 'checking' || props.state.status === 'waiting'
          ? t('proof.checking')
          : props.findings.length === 0 && props.state.status === 'ready'
            ? t('proof.none')
            : t('proof.summary', { errors: groups.error.length, warnings: groups.warning.length, hints: groups.hint.length })}
      </p>
      {props.ignoredErrors ? (
        <p className="banner banner-warning" data-testid="proof-ignored">
          {t('proof.ignoredErrors', { n: props.ignoredErrors })}
        </p>
      ) : null}
      {SEVERITIES.map((severity) =>
        groups[severity].length === 0 ? null : (
          <div key={severity} className="proof-group" data-testid={`proof-group-${severity}`}>
            <h3>{t('proof.group', { label: t(`proof.severity.${severity}`), n: groups[severity].length })}</h3>
            {props.readOnly
              ? null
              : fixBatches(groups[severity]).map((batch) => (
                  <button
                    key={`${batch.findings[0]?.rule}:${batch.suggestion}`}
                    type="button"
                    className="small proof-fix-all"
                    onClick={() => props.onApplyAll(batch.findings)}
                  >
                    {t('proof.applyAll', { text: batch.findings[0]?.text ?? '', suggestion: batch.suggestion, n: batch.findings.length })}
                  </button>
                ))}
            <ul>
              {groups[severity].map((finding) => (
                <FindingItem
                  key={findingKey(finding)}
                  finding={finding}
                  readOnly={props.readOnly}
                  onReveal={props.onReveal}
                  onApply={props.onApply}
                />
              ))}
            </ul>
          </div>
        ),
      )}
    </section>
  );
}

function FindingItem(props: {
  finding: Finding;
  readOnly: boolean;
  onReveal(finding: Finding): void;
  onApply(finding: Finding): void;
}) {
  const t = useT();
  const locale = useLocale();
  const { finding } = props;
  const message = findingMessage(finding, locale);
  const inText = finding.end > finding.start;
  return (
    <li className={`proof-item sev-${finding.severity}`} data-testid="proof-item">
      {inText ? (
        <button
          type="button"
          className="proof-jump"
          // The name is what the button shows (the passage and the finding), so speech input can say it; where it goes is the tooltip.
          title={t('proof.jump', { text: finding.text })}
          onClick={() => props.onReveal(finding)}
        >
          <span className="proof-text">{finding.text}</span> {message}
        </button>
      ) : (
        <span>
          {finding.field ? <span className="proof-text">{t('proof.metaField', { field: finding.field })}</span> : null}{' '}
          {message}
        </span>
      )}
      {finding.suggestion !== undefined && inText && !props.readOnly ? (
        <div>
          <button type="button" className="small" onClick={() => props.onApply(finding)}>
            {t('proof.apply', { suggestion: finding.suggestion })}
          </button>
        </div>
      ) : null}
    </li>
  );
}
