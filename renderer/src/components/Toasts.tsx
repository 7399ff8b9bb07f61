import { dismissToast, toastStore } from '../state/notifications';
import { useT } from '../state/settings';
import { useStore } from '../state/store';

/** Messages from anywhere in the app (API errors, confirmations), bottom right. */
export function Toasts() {
  const toasts = useStore(toastStore);
  const t = useT();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          <span>{toast.text}</span>
          <button
            type="button"
            className="icon-button"
            aria-label={t('common.close')}
            onClick={() => dismissToast(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
