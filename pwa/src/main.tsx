import { render } from 'preact';

import './styles/app.css';
import { App } from './app/App';
import { later } from './app/later';
import { registerServiceWorker } from './app/serviceWorker';
import { installOffline } from './offline';
import { messagesReady } from './i18n';
import { preloadRoute } from './routes';
import { startSession } from './session';

// What the first screen waits for goes out first: the session check and the page's code.
void startSession();
preloadRoute(location.pathname);
installOffline();
void messagesReady.then(() => render(<App />, document.getElementById('app') as HTMLElement));
// The service worker's install downloads the whole app shell: not while the first page loads.
if (import.meta.env.PROD) later(registerServiceWorker);
