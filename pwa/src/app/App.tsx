import { useEffect, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from 'preact-iso';

import { useT } from '../i18n';
import { LoginPage } from '../pages/login/LoginPage';
import { ForgotPasswordPage } from '../pages/password/ForgotPasswordPage';
import { ResetPasswordPage } from '../pages/password/ResetPasswordPage';
import { NotFoundPage } from '../pages/not-found/NotFoundPage';
import { FORGOT_PASSWORD, HOME, LOGIN, RESET_PASSWORD, routes, safeNext } from '../routes';
import { signOutReason, status } from '../session';
import { Header } from './Header';
import { InstallHint } from './InstallHint';

function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useEffect(() => route(to, true), [to]);
  return null;
}

function GoHome() {
  return <Redirect to={HOME} />;
}

/** Signed-in users who land on /login (back button, bookmark) go where they were heading. */
function AfterLogin() {
  const { query } = useLocation();
  return <Redirect to={safeNext(query.next)} />;
}

/**
 * Shown only when the session check is slow: usually it takes a moment, and a flash of
 * "Loading…" that the header's menu then pushes down is a layout shift for nothing.
 */
function Loading() {
  const t = useT();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), 500);
    return () => clearTimeout(timer);
  }, []);
  return slow ? (
    <p class="loading" aria-busy="true">
      {t.app.loading}
    </p>
  ) : null;
}

/** Pages that work signed out, besides the login (small: part of the first download like the login). */
const SIGNED_OUT_PAGES: Record<string, () => preact.JSX.Element> = {
  [FORGOT_PASSWORD]: ForgotPasswordPage,
  [RESET_PASSWORD]: ResetPasswordPage,
};

/** Keeps the address bar honest: signed out means /login (remembering where to go back to). */
function useLoginAddress(): void {
  const { path, url, route } = useLocation();
  const current = status.value;
  useEffect(() => {
    if (current !== 'signed-out' || path === LOGIN || SIGNED_OUT_PAGES[path]) return;
    const comeBack = signOutReason.value !== 'logout' && path !== '/' && path !== HOME;
    route(comeBack ? `${LOGIN}?next=${encodeURIComponent(url)}` : LOGIN, true);
  }, [current, path]);
}

function Shell() {
  const t = useT();
  useLoginAddress();
  const { path } = useLocation();
  const current = status.value;
  const SignedOutPage = SIGNED_OUT_PAGES[path] ?? LoginPage;
  return (
    <>
      <a class="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        {current === 'checking' && <Loading />}
        {current === 'signed-out' && <SignedOutPage />}
        {current === 'signed-in' && (
          <ErrorBoundary>
            <Router>
              {[
                ...routes.map((r) => <Route key={r.path} path={r.path} component={r.component} />),
                <Route key="/" path="/" component={GoHome} />,
                <Route key={LOGIN} path={LOGIN} component={AfterLogin} />,
                <Route key="*" default component={NotFoundPage} />,
              ]}
            </Router>
          </ErrorBoundary>
        )}
        {current === 'signed-in' && <InstallHint />}
      </main>
    </>
  );
}

export function App() {
  return (
    <LocationProvider>
      <Shell />
    </LocationProvider>
  );
}
