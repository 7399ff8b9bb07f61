import { useId } from 'react';
import { ATTENDEE_ROLES, type Attendee, type AttendeeRole, type Headcount } from '../../../shared/domain/article';
import { moveItem, removeItem, replaceItem } from '../state/lists';
import { useT } from '../state/settings';
import { InlineCheck } from './InlineCheck';

/** The structured attendee list: people and groups, each with a role, in print order. */
export function AttendeesEditor({ value, onChange }: { value: Attendee[]; onChange(next: Attendee[]): void }) {
  const t = useT();
  const baseId = useId();
  const update = (index: number, attendee: Attendee) => onChange(replaceItem(value, index, attendee));

  return (
    <div className="attendees">
      {value.length === 0 ? <p className="muted">{t('attendees.empty')}</p> : null}
      <ol className="attendee-list">
        {value.map((attendee, index) => {
          const rowId = `${baseId}-${index}`;
          const label = t('attendees.row', { n: index + 1 });
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; order is the identity
            <li key={index} className="attendee-row">
              <fieldset aria-label={label}>
                <legend className="sr-only">{label}</legend>
                <div className="attendee-fields">
                  <label htmlFor={`${rowId}-name`}>
                    {attendee.kind === 'person' ? t('attendees.name') : t('attendees.groupName')}
                  </label>
                  <input
                    id={`${rowId}-name`}
                    value={attendee.name}
                    onChange={(event) => update(index, { ...attendee, name: event.target.value })}
                  />
                  {attendee.kind === 'person' ? (
                    <>
                      <label htmlFor={`${rowId}-title`}>{t('attendees.title')}</label>
                      <input
                        id={`${rowId}-title`}
                        value={attendee.title}
                        onChange={(event) => update(index, { ...attendee, title: event.target.value })}
                      />
                      <label htmlFor={`${rowId}-unit`}>{t('attendees.unit')}</label>
                      <input
                        id={`${rowId}-unit`}
                        value={attendee.unit}
                        onChange={(event) => update(index, { ...attendee, unit: event.target.value })}
                      />
                    </>
                  ) : null}
                  <label htmlFor={`${rowId}-role`}>{t('attendees.role')}</label>
                  <select
                    id={`${rowId}-role`}
                    value={attendee.role}
                    onChange={(event) => update(index, { ...attendee, role: event.target.value as AttendeeRole })}
                  >
                    {ATTENDEE_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`attendees.role.${role}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="row-actions">
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('attendees.moveUp', { n: index + 1 })}
                    disabled={index === 0}
                    onClick={() => onChange(moveItem(value, index, -1))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('attendees.moveDown', { n: index + 1 })}
                    disabled={index === value.length - 1}
                    onClick={() => onChange(moveItem(value, index, 1))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('attendees.remove', { n: index + 1 })}
                    onClick={() => onChange(removeItem(value, index))}
                  >
                    ×
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="button-row">
        <button
          type="button"
          onClick={() => onChange([...value, { kind: 'person', name: '', title: '', unit: '', role: '出席' }])}
        >
          {t('attendees.addPerson')}
        </button>
        <button type="button" onClick={() => onChange([...value, { kind: 'group', name: '', role: '参加' }])}>
          {t('attendees.addGroup')}
        </button>
      </div>
    </div>
  );
}

/** Head-count with the 余 (approximate) flag; an empty box means no count is printed. */
export function HeadcountField({
  value,
  onChange,
}: {
  value: Headcount | null;
  onChange(next: Headcount | null): void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="headcount">
      <label htmlFor={`${id}-count`}>{t('attendees.headcount')}</label>
      <input
        id={`${id}-count`}
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        className="input-narrow"
        value={value?.count ?? ''}
        onChange={(event) => {
          const count = Number.parseInt(event.target.value, 10);
          onChange(Number.isFinite(count) && count > 0 ? { count, approximate: value?.approximate ?? true } : null);
        }}
      />
      <InlineCheck
        label={t('attendees.approximate')}
        checked={value?.approximate ?? true}
        disabled={!value}
        onChange={(approximate) => value && onChange({ ...value, approximate })}
      />
    </div>
  );
}
