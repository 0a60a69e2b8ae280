import { useState } from 'preact/hooks';

import { ApiError } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { login, signOutReason, startupProblem } from '../../session';

export function LoginPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      // the session switches the screen; nothing more to do here
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? caught
          : new ApiError({ title: t.errors.unexpected, detail: t.errors.unexpectedDetail, status: 0, code: 'client_error' }),
      );
      setBusy(false);
    }
  };

  const shown = error ?? startupProblem.value;
  const emailError = error?.fieldError('email');
  const passwordError = error?.fieldError('password');

  return (
    <section class="card card--narrow" aria-labelledby="login-heading">
      <PageHeading id="login-heading" title={t.login.title} />
      <p>{t.login.intro}</p>
      {signOutReason.value === 'expired' && !shown && (
        <p class="alert alert--info" role="status">
          {t.login.expired}
        </p>
      )}
      {shown && <ProblemAlert error={shown} />}
      <form class="form" onSubmit={onSubmit} noValidate>
        <div class="field">
          <label for="login-email">{t.login.email}</label>
          <input
            id="login-email"
            name="email"
            type="email"
            inputMode="email"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? 'login-email-error' : undefined}
          />
          {emailError && (
            <p id="login-email-error" class="field__error">
              {emailError}
            </p>
          )}
        </div>
        <div class="field">
          <label for="login-password">{t.login.password}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={passwordError ? true : undefined}
            aria-describedby={passwordError ? 'login-password-error' : undefined}
          />
          {passwordError && (
            <p id="login-password-error" class="field__error">
              {passwordError}
            </p>
          )}
        </div>
        <button type="submit" class="button button--primary button--block" aria-disabled={busy}>
          {busy ? t.login.busy : t.login.submit}
        </button>
      </form>
      <p>
        <a class="target-link" href="/password/forgot">{t.login.forgot}</a>
      </p>
    </section>
  );
}
