import { useState } from 'preact/hooks';

import { api, type Schema } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useFormSubmit } from '../../form-submit';
import { useT } from '../../i18n';
import { EmailField } from '../login/EmailField';

/** Ask for a reset link by e-mail; the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState('');
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    const answer = await api.post<Schema<'ResetRequested'>>(
      '/api/auth/password-reset/request',
      { email: email.trim() },
      { allowUnauthorized: true, skipRenewal: true },
    );
    setSent(answer.message);
  });

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
            <EmailField id="forgot-email" value={email} onInput={setEmail} error={error} />
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
