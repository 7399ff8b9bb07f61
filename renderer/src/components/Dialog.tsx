import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useT } from '../state/settings';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Open dialogs, innermost last: Escape and Tab belong to the innermost one only. */
const openDialogs: HTMLElement[] = [];

/**
 * Where focus goes when a dialog closes: back to the control that opened it.
 * That control may be re-rendered or briefly disabled while the dialog's
 * action finishes, so it is tried again on the next frame; if it has gone
 * (the dialog navigated away), the new screen decides.
 */
function restoreFocus(opener: HTMLElement | null): void {
  const tryFocus = () => {
    if (!opener?.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body && active !== opener) return;
    opener.focus();
  };
  tryFocus();
  requestAnimationFrame(tryFocus);
}

/** A modal dialog: labelled by its title, closes on Escape, keeps Tab inside, restores focus. */
export function Dialog(props: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'small' | 'medium' | 'large';
}) {
  const t = useT();
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(props.onClose);
  onCloseRef.current = props.onClose;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const box = ref.current;
    if (!box) return;
    openDialogs.push(box);
    const first = box.querySelector<HTMLElement>('[data-autofocus]') ?? box.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    // On the document, not the dialog: after a download or a click on the backdrop focus may have left the
    // dialog (to the page body), and Escape must still close it and Tab must still stay inside.
    const onKeyDown = (event: KeyboardEvent) => {
      if (openDialogs.at(-1) !== box || event.defaultPrevented) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        onCloseRef.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const firstItem = items[0];
      const last = items.at(-1);
      if (!firstItem || !last) return;
      const inside = box.contains(document.activeElement);
      if (!inside) {
        event.preventDefault();
        (event.shiftKey ? last : firstItem).focus();
      } else if (event.shiftKey && document.activeElement === firstItem) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        firstItem.focus();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      openDialogs.splice(openDialogs.indexOf(box), 1);
      restoreFocus(previous);
    };
  }, []);

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={`dialog dialog-${props.size ?? 'medium'}`}
      >
        <header className="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" className="icon-button" aria-label={t('common.close')} onClick={() => onCloseRef.current()}>
            ×
          </button>
        </header>
        <div className="dialog-body">{props.children}</div>
        {props.footer ? <footer className="dialog-footer">{props.footer}</footer> : null}
      </div>
    </div>
  );
}

/** Asks before something that cannot be undone easily. */
export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const t = useT();
  return (
    <Dialog
      title={props.title}
      onClose={props.onCancel}
      size="small"
      footer={
        <>
          <button type="button" onClick={props.onCancel} data-autofocus>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={props.danger ? 'danger' : 'primary'}
            onClick={props.onConfirm}
            disabled={props.busy}
          >
            {props.confirmLabel}
          </button>
        </>
      }
    >
      <p>{props.message}</p>
    </Dialog>
  );
}
