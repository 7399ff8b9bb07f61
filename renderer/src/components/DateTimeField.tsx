import { useEffect, useState } from 'react';
import { composeDateTime, splitDateTime } from '../state/datetime';
import { useT } from '../state/settings';
import { Field, FieldError } from './Field';

/** A date input plus an optional time input, stored as 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm'. */
export function DateTimeField({
  value,
  onChange,
  dateLabel,
  timeLabel,
}: {
  value: string | null;
  onChange(next: string | null): void;
  dateLabel: string;
  timeLabel?: string;
}) {
  const t = useT();
  const [parts, setParts] = useState(() => splitDateTime(value));
  const [error, setError] = useState<string | null>(null);

  // Content restored from a version or reloaded replaces what the inputs show.
  useEffect(() => {
    setParts((current) => {
      const composed = composeDateTime(current.date, current.time);
      return composed.ok && composed.value === value ? current : splitDateTime(value);
    });
  }, [value]);

  const change = (next: { date: string; time: string }) => {
    setParts(next);
    const composed = composeDateTime(next.date, next.time);
    if (composed.ok) {
      setError(null);
      if (composed.value !== value) onChange(composed.value);
    } else {
      setError(t(`meta.date.${composed.reason}`));
    }
  };

  return (
    <div className="datetime">
      <div className="datetime-inputs">
        <Field inline label={dateLabel}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={parts.date}
              aria-invalid={error ? true : undefined}
              onChange={(event) => change({ ...parts, date: event.target.value })}
            />
          )}
        </Field>
        {timeLabel ? (
          <Field inline label={timeLabel}>
            {(control) => (
              <input {...control} type="time" value={parts.time} onChange={(event) => change({ ...parts, time: event.target.value })} />
            )}
          </Field>
        ) : null}
      </div>
      <FieldError message={error} />
    </div>
  );
}
