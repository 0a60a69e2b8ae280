import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useFormSubmit } from '../../form-submit';
import { useT } from '../../i18n';
import { safeNext } from '../../routes';
import { login, signOutReason, startSingleSignOn, startupProblem } from '../../session';
import { PasswordField } from '../password/PasswordField';
import { EmailField } from './EmailField';

export function LoginPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // On success the session switches the screen; nothing more to do here.
  const { busy, error, onSubmit } = useFormSubmit(() => login(email.trim(), password));
  const { query } = useLocation();
  const next = query.next ? safeNext(query.next) : undefined;
  const sso = useFormSubmit(() => startSingleSignOn(email.trim(), next));
  const ssoReturn = query.sso_error ? t.login.ssoErrors(query.sso_error) : null;

  const shown = error ?? sso.error ?? startupProblem.value;
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
      {!shown && ssoReturn && (
        <p class="alert alert--error" role="alert">
          {ssoReturn}
        </p>
      )}
      <form class="form" onSubmit={onSubmit} noValidate>
        <EmailField id="login-email" value={email} onInput={setEmail} error={error ?? sso.error} />
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
      <form class="form login-sso" onSubmit={sso.onSubmit} noValidate>
        <p class="login-sso__intro">{t.login.ssoIntro}</p>
        <button type="submit" class="button button--secondary button--block" aria-disabled={sso.busy}>
          {sso.busy ? t.login.ssoBusy : t.login.sso}
        </button>
      </form>
    </section>
  );
}
