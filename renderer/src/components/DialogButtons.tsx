import type { ReactNode } from 'react';
import { useT } from '../state/settings';

type Confirm = { onConfirm(): void; form?: never } | { form: string; onConfirm?: never };

/**
 * A dialog footer's 取消 and confirm buttons. With `form`, confirm submits that
 * form, so Enter in one of its fields confirms too.
 */
export function DialogButtons(
  props: Confirm & {
    confirmLabel: ReactNode;
    onCancel(): void;
    busy?: boolean;
    danger?: boolean;
  },
) {
  const t = useT();
  const className = props.danger ? 'danger' : 'primary';
  return (
    <>
      <button type="button" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
      {props.form !== undefined ? (
        <button type="submit" form={props.form} className={className} disabled={props.busy}>
          {props.confirmLabel}
        </button>
      ) : (
        <button type="button" className={className} disabled={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      )}
    </>
  );
}
