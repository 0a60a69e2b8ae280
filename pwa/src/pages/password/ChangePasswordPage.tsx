import { useState } from 'preact/hooks';

import { api } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useFormSubmit } from '../../form-submit';
import { useT } from '../../i18n';
import { PasswordField } from './PasswordField';

/** "Byt lösenord": the current password again, then the new one; other sessions end. */
export function ChangePasswordPage() {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    setDone(false);
    await api.post('/api/me/password', { current_password: current, new_password: next });
    setCurrent('');
    setNext('');
    setDone(true);
  });

  return (
    <section class="card card--narrow" aria-labelledby="change-password-heading">
      <PageHeading id="change-password-heading" title={t.password.changeTitle} />
      <p>{t.password.changeIntro}</p>
      {error && <ProblemAlert error={error} />}
      {done && (
        <p class="alert alert--success" role="status">
          {t.password.changed}
        </p>
      )}
      <form class="form" onSubmit={onSubmit} noValidate>
        <PasswordField
          id="change-current"
          field="current_password"
          label={t.password.currentPassword}
          autocomplete="current-password"
          value={current}
          onInput={setCurrent}
          error={error}
        />
        <PasswordField
          id="change-new"
          field="new_password"
          label={t.password.newPassword}
          autocomplete="new-password"
          value={next}
          onInput={setNext}
          error={error}
        />
        <button type="submit" class="button button--primary" aria-disabled={busy}>
          {busy ? t.password.saving : t.password.changeTitle}
        </button>
      </form>
    </section>
  );
}
