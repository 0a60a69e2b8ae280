/** The unread count behind the bell: fetched at start, when a push arrives, and every few minutes. */
import { signal } from '@preact/signals';

import { api, type Schema } from '../api';

export const unread = signal(0);

export async function refreshUnread(): Promise<void> {
  try {
    // A background check: it neither renews the session nor signs anyone out (the session does that).
    unread.value = (
      await api.get<Schema<'UnreadCount'>>('/api/notifications/unread-count', { skipRenewal: true, allowUnauthorized: true })
    ).unread;
  } catch {
    // offline or signed out: keep the last count
  }
}
