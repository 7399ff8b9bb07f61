import { type ReactNode, useId } from 'react';

/** Spread onto a field's input, select or textarea: ties it to the label, and to the hint and error when shown. */
export interface FieldControl {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** A problem the user must see at once (role="alert" makes screen readers read it out as it appears). */
export function FieldError({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}

/**
 * A visible label tied to its control, with an optional hint and error under it.
 * `inline` puts the label beside the control (for rows of small pickers).
 */
export function Field({
  label,
  hint,
  error,
  inline,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  inline?: boolean;
  children(control: FieldControl): ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const content = (
    <>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy || undefined, 'aria-invalid': error ? true : undefined })}
      {hint ? (
        <p id={hintId} className="muted small">
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </>
  );
  return inline ? <span className="field-pair">{content}</span> : <div className="field">{content}</div>;
}
