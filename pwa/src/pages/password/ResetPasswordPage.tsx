import { useState } from 'preact/hooks';

import { api } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useFormSubmit } from '../../form-submit';
import { useT } from '../../i18n';
import { MIN_PASSWORD_LENGTH, PasswordField } from './PasswordField';

/** The token comes in the link's fragment (#token=…), which browsers never send to a server. */
function tokenFromLink(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/** The page an e-mailed reset link opens: choose a new password, once. */
export function ResetPasswordPage() {
  const t = useT();
  const [token] = useState(tokenFromLink);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    await api.post('/api/auth/password-reset', { token, new_password: password }, { allowUnauthorized: true, skipRenewal: true });
    history.replaceState(null, '', window.location.pathname); // the used token leaves the address bar
    setDone(true);
  });

  const tokenProblem = error?.fieldError('token');
  return (
    <section class="card card--narrow" aria-labelledby="reset-heading">
      <PageHeading id="reset-heading" title={t.password.resetTitle} />
      {done ? (
        <p class="alert alert--success" role="status">
          {t.password.resetDone}
        </p>
      ) : !token ? (
        <p class="alert alert--info">{t.password.noToken}</p>
      ) : (
        <>
          <p>{t.password.resetIntro(MIN_PASSWORD_LENGTH)}</p>
          {error && <ProblemAlert error={error} />}
          <form class="form" onSubmit={onSubmit} noValidate>
            <PasswordField
              id="reset-password"
              field="new_password"
              label={t.password.newPassword}
              autocomplete="new-password"
              value={password}
              onInput={setPassword}
              error={error}
            />
            <button type="submit" class="button button--primary button--block" aria-disabled={busy}>
              {busy ? t.password.saving : t.password.save}
            </button>
          </form>
        </>
      )}
      <p>
        {(tokenProblem || !token || error?.status === 410) && !done && (
          <>
            <a class="target-link" href="/password/forgot">{t.password.askAgain}</a>
            {' · '}
          </>
        )}
        <a class="target-link" href="/login">{t.password.backToLogin}</a>
      </p>
    </section>
  );
}
