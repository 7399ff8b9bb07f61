import { useCallback, useEffect, useId, useState } from 'react';
import type { SiteConfig } from '../../../shared/api/contract';
import { type ArticleMeta, type Disclosure, DisclosureSchema, VALIDITY_STATES, type ValidityState } from '../../../shared/domain/article';
import {
  DISCLOSURE_TEMPLATES,
  defaultGenre,
  describeDisclosureProblem,
  disclosureProblems,
  GENRES,
  TOPIC_CATEGORIES,
  TOPIC_SEPARATOR,
} from '../../../shared/domain/disclosure';
import { isDisclosureColumn } from '../../../shared/portal/site';
import { getSite, listSites } from '../publish/sites';
import { useLocale, useT } from '../state/settings';
import { DateTimeField } from './DateTimeField';

/**
 * Whether a column is one the office's sites list as 信息公开 columns
 * (site settings). Until the sites are loaded — or when they cannot be, e.g.
 * offline in the web host — no column is: the writer can still add the fields
 * by hand, and the pre-publish check asks for them where they are required.
 */
export function useDisclosureColumns(): (column: readonly string[]) => boolean {
  const [sites, setSites] = useState<readonly Pick<SiteConfig, 'columns' | 'government'>[]>([]);
  useEffect(() => {
    let live = true;
    listSites()
      .then((list) => Promise.all(list.map((summary) => getSite(summary.id))))
      .then(
        (loaded) => {
          if (live) setSites(loaded);
        },
        () => {},
      );
    return () => {
      live = false;
    };
  }, []);
  return useCallback((column: readonly string[]) => sites.some((site) => isDisclosureColumn(site, column)), [sites]);
}

/**
 * The 信息公开 fields of a 通知 / 公告 / 政策文件 (or of any article the writer
 * adds them to). Problems show as the writer types but never block the
 * autosave; the pre-publish checklist holds the same rules.
 */
export function DisclosureSection({
  meta,
  onChange,
  byColumn = false,
}: {
  meta: ArticleMeta;
  onChange(next: Disclosure | undefined): void;
  /** The article's column is one of the site's 信息公开 columns: the fields belong to it like a 通知's. */
  byColumn?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const disclosure = meta.disclosure;
  if (!disclosure) {
    return (
      <div className="field">
        <button type="button" onClick={() => onChange(DisclosureSchema.parse({ genre: defaultGenre(meta.template) }))}>
          {t('meta.disclosure.add')}
        </button>
      </div>
    );
  }
  const set = (change: Partial<Disclosure>) => onChange({ ...disclosure, ...change });
  const setValidity = (change: Partial<Disclosure['validity']>) => set({ validity: { ...disclosure.validity, ...change } });
  const problems = disclosureProblems(disclosure, meta.publishAt);
  const docNoProblem = problems.find((p) => p.code === 'doc_no');
  const others = problems.filter((p) => p.code !== 'doc_no' && p.code !== 'publisher_missing' && p.code !== 'written_missing');
  const date = (value: string | null, label: string, key: string, onDate: (value: string | null) => void) => (
    <div className="field" key={key}>
      <DateTimeField value={value} onChange={onDate} dateLabel={label} />
    </div>
  );
  return (
    <fieldset className="disclosure" data-testid="disclosure-fields">
      <legend>{t('meta.disclosure')}</legend>
      <p className="muted small">{t('meta.disclosure.hint')}</p>
      <div className="field">
        <label htmlFor={`${id}-publisher`}>{t('meta.disclosure.publisher')}</label>
        <input id={`${id}-publisher`} value={disclosure.publisher} onChange={(event) => set({ publisher: event.target.value })} />
      </div>
      {date(disclosure.writtenAt, t('meta.disclosure.writtenAt'), 'written', (writtenAt) => set({ writtenAt }))}
      <div className="field">
        <label htmlFor={`${id}-docno`}>{t('meta.disclosure.docNo')}</label>
        <input
          id={`${id}-docno`}
          value={disclosure.docNo}
          placeholder={t('meta.disclosure.docNo.placeholder')}
          aria-invalid={docNoProblem ? true : undefined}
          aria-describedby={docNoProblem ? `${id}-docno-error` : undefined}
          onChange={(event) => set({ docNo: event.target.value })}
        />
        {docNoProblem ? (
          <p id={`${id}-docno-error`} className="field-error">
            {describeDisclosureProblem(docNoProblem, disclosure.docNo, locale)}
            {docNoProblem.fix ? (
              <button type="button" className="link-button" onClick={() => set({ docNo: docNoProblem.fix ?? disclosure.docNo })}>
                {t('meta.disclosure.docNo.fix', { fixed: docNoProblem.fix })}
              </button>
            ) : null}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-topic`}>{t('meta.disclosure.topic')}</label>
        <select id={`${id}-topic`} value={disclosure.topic} onChange={(event) => set({ topic: event.target.value })}>
          <option value="">{t('meta.disclosure.topic.none')}</option>
          {TOPIC_CATEGORIES.map((category) => (
            <optgroup key={category.name} label={category.name}>
              <option value={category.name}>{category.name}</option>
              {category.subcategories.map((sub) => (
                <option key={sub} value={`${category.name}${TOPIC_SEPARATOR}${sub}`}>
                  {`${category.name}${TOPIC_SEPARATOR}${sub}`}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-genre`}>{t('meta.disclosure.genre')}</label>
        <select id={`${id}-genre`} value={disclosure.genre} onChange={(event) => set({ genre: event.target.value })}>
          <option value="">{t('meta.disclosure.topic.none')}</option>
          {GENRES.map((genre) => (
            <option key={genre} value={genre}>
              {genre}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-validity`}>{t('meta.disclosure.validity')}</label>
        <select
          id={`${id}-validity`}
          value={disclosure.validity.state}
          onChange={(event) => setValidity({ state: event.target.value as ValidityState })}
        >
          {VALIDITY_STATES.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
      </div>
      {date(disclosure.validity.from, t('meta.disclosure.validity.from'), 'from', (from) => setValidity({ from }))}
      {date(disclosure.validity.until, t('meta.disclosure.validity.until'), 'until', (until) => setValidity({ until }))}
      {others.length > 0 ? (
        <ul className="field-error" data-testid="disclosure-problems">
          {others.map((problem) => (
            <li key={problem.code}>{describeDisclosureProblem(problem, disclosure.docNo, locale)}</li>
          ))}
        </ul>
      ) : null}
      {DISCLOSURE_TEMPLATES.includes(meta.template) || byColumn ? null : (
        <div className="button-row">
          <button type="button" className="link-button" onClick={() => onChange(undefined)}>
            {t('meta.disclosure.remove')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
