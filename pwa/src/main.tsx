import { effect } from '@preact/signals';
import { render } from 'preact';

import './styles/app.css';
import { App } from './app/App';
import { registerServiceWorker } from './app/serviceWorker';
import { installOffline } from './offline';
import { warmUpIntl } from './i18n/format';
import { LOGIN, preloadRoute } from './routes';
import { startSession, status } from './session';

installOffline();
render(<App />, document.getElementById('app') as HTMLElement);
void startSession();
preloadRoute(location.pathname);
if (location.pathname !== LOGIN) warmUpIntl();
// Receipts left on the phone (closed app, no connection) are sent once someone is signed in again.
effect(() => {
  if (status.value === 'signed-in') void import('./pages/expenses/uploads').then((m) => m.resumeUploads());
});
if (import.meta.env.PROD) registerServiceWorker();
