import { useId, useState } from 'react';
import type { TemplateInput } from '../../../shared/api/contract';
import { type Meeting, TEMPLATE_IDS, type TemplateId } from '../../../shared/domain/article';
import { createArticle } from '../state/article-actions';
import { emptyMeeting } from '../state/meta-edit';
import { navigate } from '../state/navigation';
import { notifyError } from '../state/notifications';
import { useT } from '../state/settings';
import { DateTimeField } from './DateTimeField';
import { Dialog } from './Dialog';
import { DialogButtons } from './DialogButtons';
import { Field } from './Field';
import { MeetingSection } from './MetaPanel';

/** Builds the create request from the dialog's fields (unnamed attendee rows are left out). */
export function templateInputFrom(template: TemplateId, title: string, date: string | null, meeting: Meeting): Partial<TemplateInput> {
  if (template !== 'meeting') return { title: title.trim(), date };
  return {
    date,
    meetingName: meeting.name.trim(),
    host: meeting.host.trim(),
    place: meeting.place.trim(),
    attendees: meeting.attendees.filter((attendee) => attendee.name.trim() !== ''),
    headcount: meeting.headcount,
    title: title.trim(),
  };
}

/** Choose a template, answer its few questions, and open the new article. */
export function NewArticleDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const id = useId();
  const [template, setTemplate] = useState<TemplateId>('meeting');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState<string | null>(null);
  const [meeting, setMeeting] = useState<Meeting>(emptyMeeting);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    try {
      const article = await createArticle(template, templateInputFrom(template, title, date, meeting));
      onClose();
      await navigate({ name: 'editor', articleId: article.id });
    } catch (error) {
      notifyError(error);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('newArticle.title')}
      onClose={onClose}
      size="large"
      footer={
        <DialogButtons
          confirmLabel={busy ? t('newArticle.creating') : t('newArticle.create')}
          busy={busy}
          form={`${id}-form`}
          onCancel={onClose}
        />
      }
    >
      <form
        id={`${id}-form`}
        className="new-article"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <fieldset className="template-picker">
          <legend>{t('newArticle.template')}</legend>
          {TEMPLATE_IDS.map((templateId) => (
            <label key={templateId} className={`template-option${template === templateId ? ' selected' : ''}`}>
              <input
                type="radio"
                name={`${id}-template`}
                value={templateId}
                checked={template === templateId}
                onChange={() => setTemplate(templateId)}
                data-autofocus={template === templateId ? true : undefined}
              />
              <span className="template-name">{t(`template.${templateId}`)}</span>
              <span className="template-description">{t(`newArticle.describe.${templateId}`)}</span>
            </label>
          ))}
        </fieldset>
        <div className="new-article-fields">
          {template === 'meeting' ? (
            <>
              <DateTimeField value={date} onChange={setDate} dateLabel={t('newArticle.meetingDate')} />
              <MeetingSection meeting={meeting} onChange={(next) => setMeeting(next ?? emptyMeeting())} />
            </>
          ) : (
            <>
              <Field label={t('meta.title')}>
                {(control) => <input {...control} value={title} onChange={(event) => setTitle(event.target.value)} />}
              </Field>
              <DateTimeField value={date} onChange={setDate} dateLabel={t('newArticle.date')} />
            </>
          )}
        </div>
      </form>
    </Dialog>
  );
}
