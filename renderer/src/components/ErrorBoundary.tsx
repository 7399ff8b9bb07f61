import { Component, type ErrorInfo, type ReactNode } from 'react';
import { translate } from '../../../shared/i18n';
import { currentLocale } from '../state/settings';

interface State {
  error: Error | null;
}

/** A rendering bug shows a message and a way back, never a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode; onReset?(): void }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('[renderer] render failed', error, info.componentStack);
  }

  private readonly reset = () => {
    this.props.onReset?.();
    this.setState({ error: null });
  };

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const locale = currentLocale();
    return (
      <div className="crash" role="alert">
        <h2>{translate(locale, 'app.crash.title')}</h2>
        <p>{translate(locale, 'app.crash.body')}</p>
        <pre>{error.message}</pre>
        <button type="button" className="primary" onClick={this.reset}>
          {translate(locale, 'app.crash.back')}
        </button>
      </div>
    );
  }
}
