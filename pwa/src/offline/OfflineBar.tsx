import { useLocation } from 'preact-iso';

import { useT } from '../i18n';
import { formatDateTime } from '../i18n/format';
import { offlineSession } from '../session';
import { staleAnswers } from './cache';
import { conflictCount, online, waitingCount } from './outbox';

/**
 * Under the header: "offline, showing data from <time>" when this screen shows answers kept on
 * the phone, and how many things wait to be sent (a link to the list) or need the user.
 */
export function OfflineBar() {
  const t = useT();
  const { path } = useLocation();
  const stale = Object.values(staleAnswers.value).filter((answer) => answer.page === path);
  const oldest = stale.length ? Math.min(...stale.map((answer) => answer.savedAt)) : null;
  const offline = !online.value || offlineSession.value;
  const waiting = waitingCount.value;
  const conflicts = conflictCount.value;
  const show = offline || oldest !== null || waiting > 0 || conflicts > 0;
  return (
    <div class="offline-bar" role="status">
      {show && (
        <>
          {(offline || oldest !== null) && (
            <p class="offline-bar__state">
              <span aria-hidden="true" class="offline-bar__dot" />
              {oldest !== null ? t.offline.showingFrom(formatDateTime(new Date(oldest))) : t.offline.offlineNow}{' '}
              {offline && <span class="offline-bar__more">{t.offline.workOffline}</span>}
            </p>
          )}
          {(waiting > 0 || conflicts > 0) && path !== '/outbox' && (
            <a class="offline-bar__link" href="/outbox">
              {waiting > 0 && <span class="outbox-badge">{t.offline.waitingBadge(waiting)}</span>}
              {conflicts > 0 && <span class="outbox-badge outbox-badge--conflict">{t.offline.conflictBadge(conflicts)}</span>}
            </a>
          )}
        </>
      )}
    </div>
  );
}
