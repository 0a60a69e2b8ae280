import type { Messages } from '../../i18n';
import { formatWeekday } from '../../i18n/format';
import type { WeekView } from './model';

/** Where a problem from the server belongs on this page: its words and the element to jump to. */
export function placeOf(t: Messages, view: WeekView, field: string): { label: string; anchor: string | null } | null {
  const parts = field.split('.');
  const day = (d: string | undefined) => {
    const found = view.days[Number(d)];
    return found ? formatWeekday(found.date, 'long') : '';
  };
  if (parts[0] === 'rows' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    const row = Number(parts[1]);
    const label = t.time.rowN(row + 1);
    const what = parts[2];
    if (what === 'hours' && parts[3] !== undefined) {
      // The server's message names the day itself.
      return { label, anchor: `time-row-${row}-day-${parts[3]}` };
    }
    if (what === 'clock') {
      return parts[3] !== undefined
        ? { label: `${label}, ${day(parts[3])}`, anchor: `time-row-${row}-clock-${parts[3]}-start` }
        : { label, anchor: `time-row-${row}-clock` };
    }
    if (what === 'code') return { label: `${label}, ${t.time.code}`, anchor: `time-row-${row}-code` };
    if (what === 'project_id') return { label: `${label}, ${t.time.project}`, anchor: `time-row-${row}-project` };
    if (what === 'comment' || what === 'support_code' || what === 'invoice_text') {
      return { label: `${label}, ${t.time.fields[what]}`, anchor: `time-row-${row}-${what}` };
    }
    return { label, anchor: `time-row-${row}` };
  }
  if (parts[0] === 'days' && parts[1] !== undefined) return { label: day(parts[1]), anchor: `time-day-${parts[1]}` };
  return null;
}
