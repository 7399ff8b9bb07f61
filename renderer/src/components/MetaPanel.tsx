import { useId, useState } from 'react';
import type { ArticleMeta, Meeting } from '../../../shared/domain/article';
import { attendeesSentence } from '../../../shared/domain/attendees';
import { withColumn } from '../../../shared/domain/disclosure';
import { addAsset } from '../state/assets';
import type { EditorSession } from '../state/editor-session';
import { emptyMeeting, metaIssues } from '../state/meta-edit';
import { notifyError } from '../state/notifications';
import { useSettings, useT } from '../state/settings';
import { useStoreSelect } from '../state/store';
import { AttendeesEditor, HeadcountField } from './AttendeesEditor';
import { ColumnSelect } from './ColumnSelect';
import { DateTimeField } from './DateTimeField';
import { DisclosureSection, useDisclosureColumns } from './DisclosureSection';
import { FileInput } from './FileInput';
import { KeywordsField } from './KeywordsField';

/** The metadata form beside the editor; every change autosaves, nothing here blocks saving. */
export function MetaPanel({
  session,
  resolveSrc,
  onInsertAttendees,
}: {
  session: EditorSession;
  resolveSrc(src: string): string;
  onInsertAttendees(sentence: string): void;
}) {
  const t = useT();
  const settings = useSettings();
  const meta = useStoreSelect(session.store, (state) => state.meta);
  const id = useId();
  const issues = metaIssues(meta);
  const isDisclosureColumn = useDisclosureColumns();
  const set = <K extends keyof ArticleMeta>(key: K, value: ArticleMeta[K]) =>
    session.updateMeta((current) => ({ ...current, [key]: value }));

  const text = (key: 'title' | 'subtitle' | 'author' | 'photographer' | 'editor', label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        value={meta[key]}
        aria-invalid={issues[key] ? true : undefined}
        aria-describedby={issues[key] ? `${id}-${key}-error` : undefined}
        onChange={(event) => set(key, event.target.value)}
      />
      {issues[key] ? (
        <p id={`${id}-${key}-error`} className="field-error">
          {issues[key] === 'title_required' ? t('meta.title.required') : issues[key]}
        </p>
      ) : null}
    </div>
  );

  return (
    <form className="meta-form" onSubmit={(event) => event.preventDefault()} aria-label={t('meta.panel')}>
      {text('title', t('meta.title'))}
      {text('subtitle', t('meta.subtitle'))}
      <div className="field">
        <ColumnSelect
          tree={settings.columns}
          value={meta.column}
          onChange={(column) => session.updateMeta((current) => withColumn(current, column, isDisclosureColumn))}
          label={t('meta.column')}
          emptyLabel={t('meta.column.none')}
        />
      </div>
      <div className="field">
        <DateTimeField
          value={meta.publishAt}
          onChange={(publishAt) => set('publishAt', publishAt)}
          dateLabel={t('meta.publishDate')}
          timeLabel={t('meta.publishTime')}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-source`}>{t('meta.source')}</label>
        <input
          id={`${id}-source`}
          list={`${id}-units`}
          value={meta.source}
          onChange={(event) => set('source', event.target.value)}
        />
        <datalist id={`${id}-units`}>
          {settings.units.map((unit) => (
            <option key={unit} value={unit} />
          ))}
        </datalist>
      </div>
      {text('author', t('meta.author'))}
      {text('photographer', t('meta.photographer'))}
      {text('editor', t('meta.editor'))}
      <div className="field">
        <KeywordsField value={meta.keywords} onChange={(keywords) => set('keywords', keywords)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-summary`}>{t('meta.summary')}</label>
        <textarea
          id={`${id}-summary`}
          rows={3}
          value={meta.summary}
          onChange={(event) => set('summary', event.target.value)}
        />
        <p className="muted small">{t('meta.summary.count', { n: [...meta.summary].length })}</p>
      </div>
      <DisclosureSection
        meta={meta}
        byColumn={isDisclosureColumn(meta.column)}
        onChange={(disclosure) =>
          session.updateMeta(({ disclosure: _old, ...rest }) => (disclosure ? { ...rest, disclosure } : rest))
        }
      />
      <CoverField session={session} resolveSrc={resolveSrc} />
      <MeetingSection
        meeting={meta.meeting}
        onChange={(meeting) => set('meeting', meeting)}
        onInsertAttendees={onInsertAttendees}
      />
    </form>
  );
}

function CoverField({ session, resolveSrc }: { session: EditorSession; resolveSrc(src: string): string }) {
  const t = useT();
  const id = useId();
  const meta = useStoreSelect(session.store, (state) => state.meta);
  const [uploading, setUploading] = useState(false);
  const cover = meta.cover;

  const pick = async (file: File) => {
    setUploading(true);
    try {
      const src = await addAsset(session.articleId, file, file.name);
      session.updateMeta((current) => ({ ...current, cover: { src, alt: current.cover?.alt ?? '' } }));
    } catch (error) {
      notifyError(error);
    } finally {
      setUploading(false);
    }
  };

  return (
    <fieldset className="field cover">
      <legend>{t('meta.cover')}</legend>
      {cover ? (
        <div className="cover-preview">
          <img src={resolveSrc(cover.src)} alt={cover.alt || t('meta.cover')} />
          <div className="field">
            <label htmlFor={`${id}-alt`}>{t('meta.cover.alt')}</label>
            <input
              id={`${id}-alt`}
              value={cover.alt}
              onChange={(event) => {
                const alt = event.target.value;
                session.updateMeta((current) => (current.cover ? { ...current, cover: { ...current.cover, alt } } : current));
              }}
            />
          </div>
          <button type="button" onClick={() => session.updateMeta((current) => ({ ...current, cover: null }))}>
            {t('meta.cover.remove')}
          </button>
        </div>
      ) : null}
      <label htmlFor={`${id}-file`} className="file-label">
        {cover ? t('meta.cover.replace') : t('meta.cover.pick')}
      </label>
      <FileInput id={`${id}-file`} accept="image/*" disabled={uploading} onFiles={([file]) => void pick(file)} />
      {uploading ? <p className="muted small">{t('meta.cover.uploading')}</p> : null}
    </fieldset>
  );
}

/** Meeting name, host, place and attendees, with the generated closing sentence. */
export function MeetingSection({
  meeting,
  onChange,
  onInsertAttendees,
}: {
  meeting: Meeting | null;
  onChange(next: Meeting | null): void;
  onInsertAttendees?(sentence: string): void;
}) {
  const t = useT();
  const id = useId();
  if (!meeting) {
    return (
      <div className="field">
        <button type="button" onClick={() => onChange(emptyMeeting())}>
          {t('meta.meeting.add')}
        </button>
      </div>
    );
  }
  const sentence = attendeesSentence(meeting);
  const textField = (key: 'name' | 'host' | 'place', label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        value={meeting[key]}
        onChange={(event) => onChange({ ...meeting, [key]: event.target.value })}
      />
    </div>
  );
  return (
    <fieldset className="meeting">
      <legend>{t('meta.meeting')}</legend>
      {textField('name', t('meta.meeting.name'))}
      {textField('host', t('meta.meeting.host'))}
      {textField('place', t('meta.meeting.place'))}
      <h4 className="subheading">{t('attendees.heading')}</h4>
      <AttendeesEditor value={meeting.attendees} onChange={(attendees) => onChange({ ...meeting, attendees })} />
      <HeadcountField value={meeting.headcount} onChange={(headcount) => onChange({ ...meeting, headcount })} />
      {onInsertAttendees ? (
        <section className="attendees-preview" aria-labelledby={`${id}-preview-label`}>
          <p className="muted small" id={`${id}-preview-label`}>
            {t('attendees.preview')}
          </p>
          <p className="preview-sentence" data-testid="attendees-sentence">
            {sentence || t('attendees.preview.empty')}
          </p>
          <div className="button-row">
            <button type="button" disabled={!sentence} onClick={() => onInsertAttendees(sentence)}>
              {t('attendees.insert')}
            </button>
            <button type="button" className="link-button" onClick={() => onChange(null)}>
              {t('meta.meeting.remove')}
            </button>
          </div>
        </section>
      ) : null}
    </fieldset>
  );
}
