import { type InputHTMLAttributes, useEffect, useState } from 'react';
import { composeDateTime, normalizeDateInput, normalizeTimeInput, splitDateTime } from '../state/datetime';
import { useT } from '../state/settings';
import { Field, FieldError } from './Field';

type TextInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange'> & {
  value: string;
  onChange(next: string): void;
};

/**
 * A date typed as YYYY-MM-DD whatever the browser's language (a native date
 * input shows mm/dd/yyyy on an English system). On leaving the field,
 * 2024-5-9, 2024/5/9 and 2024年5月9日 are written out as 2024-05-09.
 */
export function DateInput({ value, onChange, onBlur, ...rest }: TextInputProps) {
  return (
    <input
      {...rest}
      type="text"
      className="date-input"
      inputMode="numeric"
      autoComplete="off"
      placeholder="YYYY-MM-DD"
      size={11}
      maxLength={16}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onBlur={(event) => {
        const normalized = normalizeDateInput(value);
        if (normalized !== value) onChange(normalized);
        onBlur?.(event);
      }}
    />
  );
}

/** A time typed in 24-hour HH:mm (never AM/PM); 9:05 becomes 09:05 on leaving the field. */
export function TimeInput({ value, onChange, onBlur, ...rest }: TextInputProps) {
  return (
    <input
      {...rest}
      type="text"
      className="time-input"
      inputMode="numeric"
      autoComplete="off"
      placeholder="HH:mm"
      size={6}
      maxLength={8}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onBlur={(event) => {
        const normalized = normalizeTimeInput(value);
        if (normalized !== value) onChange(normalized);
        onBlur?.(event);
      }}
    />
  );
}

/** A date field plus an optional time field, stored as 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm'. */
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

  // Content restored from a version or reloaded replaces what the fields show.
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
            <DateInput
              {...control}
              value={parts.date}
              aria-invalid={error ? true : undefined}
              onChange={(date) => change({ ...parts, date })}
            />
          )}
        </Field>
        {timeLabel ? (
          <Field inline label={timeLabel}>
            {(control) => <TimeInput {...control} value={parts.time} onChange={(time) => change({ ...parts, time })} />}
          </Field>
        ) : null}
      </div>
      <FieldError message={error} />
    </div>
  );
}
