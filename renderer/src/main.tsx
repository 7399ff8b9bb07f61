import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { notifyError } from './state/notifications';
import './styles/app.css';

// Failures outside React's render (event handlers, promises) still reach the user.
window.addEventListener('unhandledrejection', (event) => notifyError(event.reason));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
