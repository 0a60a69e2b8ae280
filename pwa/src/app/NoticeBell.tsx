import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api } from '../api';
import { useT } from '../i18n';
import { syncSubscription } from '../push/client';
import { SUBSCRIPTIONS_CHANGED } from '../push/payload';
import { refreshUnread, unread } from '../push/unread';

const POLL_MS = 3 * 60_000;

/**
 * The notifications link with the unread count, and the app's side of push: a message from
 * the service worker refreshes the count or opens the page a notification was clicked for;
 * a page opened from a notification (`?from_notice=`) marks that notice read.
 */
export function NoticeBell() {
  const t = useT();
  const { path, query, url, route } = useLocation();

  useEffect(() => {
    void refreshUnread();
    void syncSubscription();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refreshUnread();
    }, POLL_MS);
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: string; url?: string } | null;
      if (data?.type === 'notice-received') void refreshUnread();
      if (data?.type === SUBSCRIPTIONS_CHANGED) void syncSubscription();
      if (data?.type === 'open-notice' && data.url) {
        const target = new URL(data.url, location.origin);
        if (target.origin === location.origin) route(target.pathname + target.search);
      }
    };
    navigator.serviceWorker?.addEventListener('message', onMessage);
    return () => {
      clearInterval(timer);
      navigator.serviceWorker?.removeEventListener('message', onMessage);
    };
  }, []);

  useEffect(() => {
    const noticeId = query.from_notice;
    if (!noticeId) return;
    const clean = new URL(url, location.origin);
    clean.searchParams.delete('from_notice');
    route(clean.pathname + clean.search, true);
    api
      .post(`/api/notifications/${encodeURIComponent(noticeId)}/read`)
      .catch(() => undefined)
      .finally(() => void refreshUnread());
  }, [query.from_notice]);

  const count = unread.value;
  return (
    <a
      class="notice-bell"
      href="/notifications"
      aria-current={path === '/notifications' ? 'page' : undefined}
      aria-label={count ? t.notices.bellUnread(count) : t.notices.bell}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
        />
      </svg>
      {count > 0 && <span class="notice-bell__count">{count > 99 ? '99+' : count}</span>}
    </a>
  );
}
