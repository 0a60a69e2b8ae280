/** The notification API's shapes (backend/notices/schemas.py). */
import type { Schema } from '../../api';
import type { Messages } from '../../i18n';

export type Notice = Schema<'NoticeView'>;
export type NoticeList = Schema<'NoticeList'>;

/** A category's channels (`category` is any string in the answer). */
export type CategoryChoice = Schema<'CategoryChoice'>;
export type Preferences = Schema<'PreferencesView'>;

/** A category's name in the reader's language; one this version of the app does not know, by its code. */
export function categoryName(t: Messages, category: string): string {
  const names: Record<string, string> = t.notices.categories;
  return names[category] ?? category;
}

/** A notice's link, marked so the app marks it read when opened. */
export function noticeHref(notice: Notice): string {
  const path = notice.url.startsWith('/') && !notice.url.startsWith('//') ? notice.url : '/notifications';
  return `${path}${path.includes('?') ? '&' : '?'}from_notice=${encodeURIComponent(notice.id)}`;
}
