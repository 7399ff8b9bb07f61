import { useState } from 'react';
import type { WorkspaceProblem } from '../../../shared/domain/article';
import { useT } from '../state/settings';

/** Files the workspace could not read are always shown, with what was done about them. */
export function ProblemsBanner({ problems }: { problems: WorkspaceProblem[] }) {
  const t = useT();
  const [dismissed, setDismissed] = useState<string>('');
  const signature = problems.map((problem) => `${problem.kind}:${problem.file}:${problem.at}`).join('|');
  if (problems.length === 0 || dismissed === signature) return null;
  return (
    <section className="banner banner-warning" role="alert" aria-label={t('list.problems.title')}>
      <div className="banner-head">
        <strong>{t('list.problems.title')}</strong>
        <button type="button" className="link-button" onClick={() => setDismissed(signature)}>
          {t('list.problems.hide')}
        </button>
      </div>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.kind}:${problem.file}:${problem.at}`}>
            <code>{problem.file}</code>{' '}
            {t(`list.problems.${problem.kind}`, {
              quarantinedAs: problem.quarantinedAs ?? '—',
              detail: problem.detail,
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
