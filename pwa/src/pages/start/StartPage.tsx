import { useLocation } from 'preact-iso';

import { api, type Organisation } from '../../api';
import { CameraButton } from '../../components/CameraButton';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatToday } from '../../i18n/format';
import { user } from '../../session';
import { useLoad } from '../../useLoad';
import { AttestCard, NoticesCard, PayCard, WeeksCard } from './cards';

/**
 * What matters now (cards per role, each loading on its own), then who you are in the system
 * and the two dates that govern every month's pay.
 */
export function StartPage() {
  const t = useT();
  const me = user.value;
  const { data: organisation, error } = useLoad((signal) => api.get<Organisation>('/api/organisation', { signal }), []);

  if (!me) return null;
  const firstName = me.display_name.trim().split(/\s+/)[0] ?? me.display_name;
  const lead = me.roles.includes('manager') || me.roles.includes('payroll');
  const employee = me.roles.includes('employee') && me.employee_id !== null;

  return (
    <div class="stack">
      <div>
        <PageHeading title={t.start.title}>{t.start.greeting(firstName)}</PageHeading>
        <p class="muted">{formatToday()}</p>
      </div>

      {me.employee_id && <PhotographReceipt />}

      <section class="now-cards" aria-label={t.start.nowHeading}>
        {/* Managers and payroll always see their inbox; an employee only while substituting with items waiting. */}
        {(lead || me.employee_id) && <AttestCard onlyIfWaiting={!lead} />}
        {employee && <WeeksCard />}
        {me.employee_id && <PayCard />}
        <NoticesCard />
      </section>

      <section class="card" aria-labelledby="start-profile">
        <h2 id="start-profile">{t.start.profileHeading}</h2>
        <dl class="facts">
          <div>
            <dt>{t.start.name}</dt>
            <dd>{me.display_name}</dd>
          </div>
          <div>
            <dt>{t.start.organisation}</dt>
            <dd>{me.organisation.name}</dd>
          </div>
          <div>
            <dt>{t.start.roles}</dt>
            <dd>{t.list.and(me.roles.map((role) => t.roles[role]))}</dd>
          </div>
          {me.manager_name && (
            <div>
              <dt>{t.start.manager}</dt>
              <dd>{me.manager_name}</dd>
            </div>
          )}
        </dl>
      </section>

      <section class="card" aria-labelledby="start-pay" aria-busy={!organisation && !error}>
        <h2 id="start-pay">{t.start.payHeading}</h2>
        {error && <ProblemAlert error={error} />}
        {!error && !organisation && <p class="muted">{t.start.loadingOrganisation}</p>}
        {organisation && (
          <>
            <dl class="facts">
              <div>
                <dt>{t.start.cutoff}</dt>
                <dd>{t.start.dayOfMonth(organisation.cutoff_day)}</dd>
              </div>
              <div>
                <dt>{t.start.payDay}</dt>
                <dd>{t.start.dayOfMonth(organisation.pay_day)}</dd>
              </div>
            </dl>
            <p class="muted">{t.start.cutoffHint}</p>
          </>
        )}
      </section>
    </div>
  );
}

/**
 * "Fotografera kvitto" straight from the start page: the camera opens, the photo starts uploading
 * (kept on the phone until the server has it) and the app opens its expense to check and submit.
 * The upload code is loaded only when a photo is taken, so the start page stays small.
 */
function PhotographReceipt() {
  const t = useT();
  const { route } = useLocation();
  const upload = (file: File) =>
    void import('../expenses/uploads').then(({ startUpload }) => route(`/expenses/${startUpload(file)}`));
  return (
    <section class="card capture-card">
      <div class="capture-buttons">
        <CameraButton onFile={upload} describedBy="start-photograph-hint">
          {t.start.photographReceipt}
        </CameraButton>
      </div>
      <p class="muted" id="start-photograph-hint">
        {t.start.photographHint}
      </p>
    </section>
  );
}
