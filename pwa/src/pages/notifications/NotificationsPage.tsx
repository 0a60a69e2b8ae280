import { useState } from 'preact/hooks';

import { api, ApiError } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { refreshUnread, unread } from '../../push/unread';
import { useLoad } from '../../useLoad';
import { noticeHref, type Notice, type NoticeList } from './model';

const PAGE = 30;

/** Every notification, newest first: the same as the pushes, kept even when push is off. */
export function NotificationsPage() {
  const t = useT();
  const [actionError, setActionError] = useState<ApiError | null>(null);

  const page = async (before?: string, signal?: AbortSignal) => {
    const query = before ? `?limit=${PAGE}&before=${encodeURIComponent(before)}` : `?limit=${PAGE}`;
    const found = await api.get<NoticeList>(`/api/notifications${query}`, signal ? { signal } : {});
    if (!signal?.aborted) unread.value = found.unread;
    return found;
  };
  const loaded = useLoad(async (signal) => {
    const found = await page(undefined, signal);
    return { items: found.items, more: found.items.length === PAGE };
  }, []);
  const items = loaded.data?.items ?? null;
  const more = loaded.data?.more ?? false;
  const error = loaded.error ?? actionError;
  const setItems = (change: (current: Notice[]) => Notice[]) =>
    loaded.setData((current) => current && { ...current, items: change(current.items) });

  const loadMore = async (before: string | undefined) => {
    setActionError(null);
    try {
      const found = await page(before);
      loaded.setData((current) => ({ items: [...(current?.items ?? []), ...found.items], more: found.items.length === PAGE }));
    } catch (caught) {
      if (caught instanceof ApiError) setActionError(caught);
    }
  };

  const markAll = async () => {
    try {
      await api.post('/api/notifications/read-all');
      const now = new Date().toISOString();
      setItems((current) => current.map((n) => ({ ...n, read_at: n.read_at ?? now })));
      await refreshUnread();
    } catch (caught) {
      if (caught instanceof ApiError) setActionError(caught);
    }
  };

  return (
    <div class="stack">
      <PageHeading title={t.notices.title} />
      <p class="notices__tools">
        <a class="target-link" href="/notifications/settings">
          {t.notices.settingsLink}
        </a>
        {unread.value > 0 && (
          <button type="button" class="button button--secondary" onClick={() => void markAll()}>
            {t.notices.markAllRead}
          </button>
        )}
      </p>
      {error && <ProblemAlert error={error} />}
      {items === null && !error && (
        <p class="loading" aria-busy="true">
          {t.app.loading}
        </p>
      )}
      {items?.length === 0 && <p class="muted">{t.notices.empty}</p>}
      {items && items.length > 0 && (
        <ul class="notices" aria-label={t.notices.title}>
          {items.map((notice) => (
            <li key={notice.id} class={notice.read_at ? 'notice' : 'notice notice--unread'}>
              <a href={noticeHref(notice)}>
                <span class="notice__title">
                  {!notice.read_at && <span class="visually-hidden">{t.notices.unreadMark} </span>}
                  {notice.title}
                </span>
                {notice.body && <span class="notice__body">{notice.body}</span>}
                <time class="notice__time" dateTime={notice.created_at}>
                  {formatDateTime(notice.created_at)}
                </time>
              </a>
            </li>
          ))}
        </ul>
      )}
      {more && items && (
        <button type="button" class="button button--secondary" onClick={() => void loadMore(items.at(-1)?.created_at)}>
          {t.notices.showMore}
        </button>
      )}
    </div>
  );
}
