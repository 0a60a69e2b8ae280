/**
 * What a push message carries (the backend's `PushPayload`: title, body, deep link, tag, ids)
 * and how the service worker shows it. Plain functions, shared by the service worker and the app.
 */

export const SUBSCRIPTIONS_CHANGED = 'push-subscription-changed';

export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string | undefined;
  ids: Record<string, string>;
  lang: 'sv' | 'en';
}

const FALLBACK_TITLE = { sv: 'Självservice', en: 'Självservice' };

/** A payload from the push service, tolerant of anything: a push must always show something. */
export function readPushPayload(text: string | null): PushPayload {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>;
  } catch {
    data = { body: text ?? '' };
  }
  const ids: Record<string, string> = {};
  if (data.ids && typeof data.ids === 'object') {
    for (const [key, value] of Object.entries(data.ids as Record<string, unknown>)) ids[key] = String(value);
  }
  const lang = ids.lang === 'en' ? 'en' : 'sv';
  const url = typeof data.url === 'string' && data.url.startsWith('/') && !data.url.startsWith('//') ? data.url : '/';
  return {
    title: typeof data.title === 'string' && data.title ? data.title : FALLBACK_TITLE[lang],
    body: typeof data.body === 'string' ? data.body : '',
    url,
    tag: typeof data.tag === 'string' ? data.tag : undefined,
    ids,
    lang,
  };
}

const LABELS = {
  sv: { inbox: 'Öppna inkorgen', open: 'Öppna' },
  en: { inbox: 'Open the inbox', open: 'Open' },
};

/** The buttons under the notification: attest notices lead to the inbox. */
export function actionsFor(payload: PushPayload): Array<{ action: string; title: string }> {
  const labels = LABELS[payload.lang];
  return [{ action: 'open', title: payload.url.startsWith('/attest') ? labels.inbox : labels.open }];
}

/** The page a click opens: the deep link, marked so the app can mark the notice read. */
export function notificationUrl(url: string | undefined, noticeId: string | undefined): string {
  const path = url && url.startsWith('/') && !url.startsWith('//') ? url : '/notifications';
  if (!noticeId) return path;
  return `${path}${path.includes('?') ? '&' : '?'}from_notice=${encodeURIComponent(noticeId)}`;
}
