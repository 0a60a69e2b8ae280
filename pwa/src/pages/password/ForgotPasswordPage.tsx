import { useState } from 'preact/hooks';

import { api, ApiError } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';

/** Ask for a reset link by e-mail; the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ message: string }>(
        '/api/auth/password-reset/request',
        { email: email.trim() },
        { allowUnauthorized: true, skipRenewal: true },
      );
      setSent(answer.message);
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const emailError = error?.fieldError('email');
  return (
    <section class="card card--narrow" aria-labelledby="forgot-heading">
      <PageHeading id="forgot-heading" title={t.password.forgotTitle} />
      {sent ? (
        <p class="alert alert--success" role="status">
          {sent}
        </p>
      ) : (
        <>
          <p>{t.password.forgotIntro}</p>
          {error && <ProblemAlert error={error} />}
          <form class="form" onSubmit={onSubmit} noValidate>
            <div class="field">
              <label for="forgot-email">{t.login.email}</label>
              <input
                id="forgot-email"
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
              />
              {emailError && <p class="field__error">{emailError}</p>}
            </div>
            <button type="submit" class="button button--primary button--block" aria-disabled={busy}>
              {busy ? t.password.sending : t.password.send}
            </button>
          </form>
        </>
      )}
      <p>
        <a class="target-link" href="/login">{t.password.backToLogin}</a>
      </p>
    </section>
  );
}
