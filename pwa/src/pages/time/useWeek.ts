import { useState } from 'preact/hooks';

import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { useLoad } from '../../useLoad';
import { blankRow, toRowForm, UUID, WEEK, type RowForm, type WeekView } from './model';

/**
 * The week as the server has it (`view`) and its rows as the employee edits them, with `dirty`
 * while there are changes not saved. `target` is a week (`2026-W47`), an item's id, or null for
 * the first week not yet submitted.
 */
export function useWeek(target: string | null) {
  const t = useT();
  const [view, setView] = useState<WeekView | null>(null);
  const [rows, setRows] = useState<RowForm[]>([]);
  const [dirty, setDirty] = useState(false);

  /** The server's week: its rows replace the form's. */
  const adopt = (next: WeekView) => {
    setView(next);
    setRows(next.rows.map(toRowForm));
    setDirty(false);
  };

  const { error: loadError } = useLoad(async (signal) => {
    if (target !== null && !WEEK.test(target) && !UUID.test(target)) {
      throw new ApiError({ title: t.time.notFound, status: 404, code: 'not_found' });
    }
    const path = target === null ? '/api/time/weeks/first-open' : `/api/time/weeks/${encodeURIComponent(target)}`;
    const found = await api.get<WeekView>(path, { signal });
    if (!signal.aborted) adopt(found);
    return found;
  }, []);

  const change = (index: number, next: Partial<RowForm>) => {
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...next } : row)));
    setDirty(true);
  };

  /** A new row with the time code given; its project search gets the focus. */
  const addRow = (code: string) => {
    setRows((current) => [...current, blankRow(code)]);
    setDirty(true);
    const next = rows.length;
    requestAnimationFrame(() => document.getElementById(`time-row-${next}-project-search`)?.focus());
  };

  /** The row goes; "add a row" gets the focus. */
  const removeRow = (index: number) => {
    setRows((current) => current.filter((_, i) => i !== index));
    setDirty(true);
    requestAnimationFrame(() => document.getElementById('time-add-row')?.focus());
  };

  /** The rows are kept on the phone until they can be sent: nothing left to save here. */
  const markSaved = () => setDirty(false);

  return { view, rows, dirty, loadError, adopt, change, addRow, removeRow, markSaved };
}

export type Week = ReturnType<typeof useWeek>;
