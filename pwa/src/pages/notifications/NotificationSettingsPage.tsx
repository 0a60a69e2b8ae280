import { useEffect, useState } from 'preact/hooks';

import { api, ApiError, type Schema } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { disablePush, enablePush, pushState, refreshPushState } from '../../push/client';
import { useLoad } from '../../useLoad';
import { categoryName, type CategoryChoice, type Preferences } from './model';

/** Push on this device, a test notification, and what comes by which channel and when. */
export function NotificationSettingsPage() {
  const t = useT();
  const loaded = useLoad((signal) => api.get<Preferences>('/api/notifications/preferences', { signal }), []);
  const { data: prefs, setData: setPrefs } = loaded;
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const error = actionError ?? loaded.error;
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  useEffect(() => {
    void refreshPushState();
  }, []);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setStatus('');
    try {
      setStatus(await action());
      setActionError(null);
    } catch (caught) {
      if (caught instanceof ApiError) setActionError(caught);
      else setStatus(t.notices.pushFailed);
    } finally {
      setBusy(false);
    }
  };

  const toggleDevice = () =>
    run(async () => ((pushState.value === 'on' ? await disablePush() : await enablePush()) === 'on' ? t.notices.pushOn : t.notices.pushOff));

  const sendTest = () =>
    run(async () => {
      const sent = await api.post<Schema<'TestSent'>>('/api/notifications/test');
      return t.notices.testSent(sent.devices);
    });

  const change = (category: string, patch: Partial<CategoryChoice>) =>
    setPrefs((current) =>
      current && {
        ...current,
        categories: current.categories.map((c) => (c.category === category ? { ...c, ...patch } : c)),
      },
    );

  const save = (event: Event) => {
    event.preventDefault();
    if (!prefs) return;
    void run(async () => {
      const saved = await api.put<Preferences>('/api/notifications/preferences', {
        categories: prefs.categories.map(({ category, push, email, during_quiet_hours }) => ({
          category,
          push,
          email,
          during_quiet_hours,
        })),
        quiet_hours: { enabled: prefs.quiet_hours.enabled, start: prefs.quiet_hours.start, end: prefs.quiet_hours.end },
      });
      setPrefs(saved);
      return t.notices.saved;
    });
  };

  const state = pushState.value;
  return (
    <div class="stack">
      <PageHeading title={t.notices.settingsTitle} />
      <p>
        <a class="target-link" href="/notifications">
          {t.notices.backToList}
        </a>
      </p>
      {error && <ProblemAlert error={error} />}
      <p role="status" class="notices__status">
        {status}
      </p>

      <section class="card" aria-labelledby="push-device">
        <h2 id="push-device">{t.notices.deviceHeading}</h2>
        <p>{t.notices.deviceState[state]}</p>
        <div class="notices__tools">
          {(state === 'on' || state === 'off') && (
            <button type="button" class="button button--primary" disabled={busy} onClick={() => void toggleDevice()}>
              {state === 'on' ? t.notices.turnOff : t.notices.turnOn}
            </button>
          )}
          <button type="button" class="button button--secondary" disabled={busy} onClick={() => void sendTest()}>
            {t.notices.sendTest}
          </button>
        </div>
      </section>

      {prefs && (
        <form class="stack" onSubmit={save}>
          <fieldset class="card notices__choices">
            <legend>{t.notices.whatHeading}</legend>
            <p class="muted">{t.notices.inAppAlways}</p>
            {prefs.categories.map((choice) => (
              <fieldset key={choice.category} class="notices__category">
                <legend>{categoryName(t, choice.category)}</legend>
                <label>
                  <input
                    type="checkbox"
                    checked={choice.push}
                    onChange={(e) => change(choice.category, { push: e.currentTarget.checked })}
                  />{' '}
                  {t.notices.push}
                </label>
                <label>
                  <input
                    type="checkbox"
                    checked={choice.email}
                    disabled={!prefs.email_available}
                    onChange={(e) => change(choice.category, { email: e.currentTarget.checked })}
                  />{' '}
                  {t.notices.email}
                </label>
                <label>
                  <input
                    type="checkbox"
                    checked={choice.during_quiet_hours}
                    disabled={!choice.push}
                    onChange={(e) => change(choice.category, { during_quiet_hours: e.currentTarget.checked })}
                  />{' '}
                  {t.notices.duringQuiet}
                </label>
              </fieldset>
            ))}
            {!prefs.email_available && <p class="muted">{t.notices.emailUnavailable}</p>}
          </fieldset>

          <fieldset class="card">
            <legend>{t.notices.quietHeading}</legend>
            <p class="muted">{t.notices.quietHint}</p>
            <label>
              <input
                type="checkbox"
                checked={prefs.quiet_hours.enabled}
                onChange={(e) =>
                  setPrefs({ ...prefs, quiet_hours: { ...prefs.quiet_hours, enabled: e.currentTarget.checked } })
                }
              />{' '}
              {t.notices.quietOn}
            </label>
            <div class="notices__times">
              <label>
                {t.notices.quietFrom}
                <input
                  type="time"
                  value={prefs.quiet_hours.start}
                  disabled={!prefs.quiet_hours.enabled}
                  onInput={(e) => setPrefs({ ...prefs, quiet_hours: { ...prefs.quiet_hours, start: e.currentTarget.value } })}
                />
              </label>
              <label>
                {t.notices.quietTo}
                <input
                  type="time"
                  value={prefs.quiet_hours.end}
                  disabled={!prefs.quiet_hours.enabled}
                  onInput={(e) => setPrefs({ ...prefs, quiet_hours: { ...prefs.quiet_hours, end: e.currentTarget.value } })}
                />
              </label>
            </div>
          </fieldset>
          <button type="submit" class="button button--primary" disabled={busy}>
            {t.notices.save}
          </button>
        </form>
      )}
    </div>
  );
}
