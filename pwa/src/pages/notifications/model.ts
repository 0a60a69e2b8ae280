/** The notification API's shapes (backend/notices/schemas.py). */

export interface Notice {
  id: string;
  category: string;
  title: string;
  body: string;
  url: string;
  ids: Record<string, string>;
  created_at: string;
  read_at: string | null;
}

export interface NoticeList {
  items: Notice[];
  unread: number;
}

export type Category =
  | 'attest_digest'
  | 'attest_reminder'
  | 'attest_nudge'
  | 'item_decided'
  | 'submit_reminder'
  | 'payslip_ready'
  | 'case_update';

export interface CategoryChoice {
  category: Category;
  push: boolean;
  email: boolean;
  in_app: boolean;
  during_quiet_hours: boolean;
}

export interface Preferences {
  categories: CategoryChoice[];
  quiet_hours: { enabled: boolean; start: string; end: string; timezone: string };
  email_available: boolean;
  devices: number;
}

/** A notice's link, marked so the app marks it read when opened. */
export function noticeHref(notice: Notice): string {
  const path = notice.url.startsWith('/') && !notice.url.startsWith('//') ? notice.url : '/notifications';
  return `${path}${path.includes('?') ? '&' : '?'}from_notice=${encodeURIComponent(notice.id)}`;
}
