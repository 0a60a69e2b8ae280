import { useState } from 'preact/hooks';

import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useFormSubmit } from '../../form-submit';
import { useT } from '../../i18n';
import { login, signOutReason, startupProblem } from '../../session';
import { PasswordField } from '../password/PasswordField';
import { EmailField } from './EmailField';

export function LoginPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // On success the session switches the screen; nothing more to do here.
  const { busy, error, onSubmit } = useFormSubmit(() => login(email.trim(), password));

  const shown = error ?? startupProblem.value;
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
        <EmailField id="login-email" value={email} onInput={setEmail} error={error} />
        <PasswordField
          id="login-password"
          field="password"
          label={t.login.password}
          autocomplete="current-password"
          value={password}
          onInput={setPassword}
          error={error}
        />
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
