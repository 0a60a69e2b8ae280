import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError, newId } from '../../api';
import { useT } from '../../i18n';
import { enqueue, sendOrQueue } from '../../offline/outbox';
import { useSubmission } from '../../submission';
import { focusSoon, notice } from './common';
import { partialSpan, toRowIn, type WeekView } from './model';
import type { Week } from './useWeek';

export type Busy = 'save' | 'submit' | null;

/**
 * "Spara" and "Skicka in" for a week: one at a time (`busy`), the confirmation (`message`) or
 * the problems (`error`, focused), and without a connection both wait on the phone, the
 * submission after the saved rows.
 */
export function useWeekActions(week: Week) {
  const t = useT();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<string | null>(() => notice.peek());
  const submission = useSubmission();
  const submitKey = submission.key;
  /** A save made without a connection, waiting on the phone (src/offline/): a submission goes after it. */
  const queuedSave = useRef<string | null>(null);

  useEffect(() => {
    notice.value = null;
  }, []);

  const focusProblems = () => focusSoon('time-problems');

  const save = async (view: WeekView): Promise<boolean> => {
    setError(null);
    setMessage(null);
    // The API takes a whole span or none: a start without an end (or the reverse) is asked for here.
    const halfTyped = week.rows.flatMap((row, i) =>
      row.clock.flatMap((span, d) =>
        partialSpan(span) ? [{ field: `rows.${i}.clock.${d}`, code: 'time.clock_incomplete', message: t.time.clock.incomplete }] : [],
      ),
    );
    if (halfTyped.length) {
      setError(new ApiError({ title: t.time.clock.cannotSave, status: 422, code: 'validation_failed', errors: halfTyped }));
      focusProblems();
      return false;
    }
    try {
      const sent = await sendOrQueue<WeekView>({
        id: newId(),
        kind: 'week',
        method: 'PUT',
        path: `/api/time/weeks/${view.week}`,
        body: { rows: week.rows.map(toRowIn), comment: view.comment },
        summary: { title: view.week, href: `/time/weeks/${view.week}` },
      });
      if (sent.queued) {
        queuedSave.current = sent.item.id;
        week.markSaved();
      } else {
        queuedSave.current = null;
        week.adopt(sent.data);
      }
      return true;
    } catch (caught) {
      if (caught instanceof ApiError) {
        setError(caught);
        focusProblems();
      }
      return false;
    }
  };

  const onSave = async (view: WeekView) => {
    if (busy) return;
    setBusy('save');
    if (await save(view)) setMessage(queuedSave.current ? t.offline.savedOnPhone : t.time.saved);
    setBusy(null);
  };

  const onSubmit = async (view: WeekView) => {
    if (busy) return;
    setBusy('submit');
    if (week.dirty && !(await save(view))) {
      setBusy(null);
      return;
    }
    setError(null);
    setMessage(null);
    // One key for every try of this submission: a repeat after a lost answer submits once.
    submitKey.current ??= newId();
    // Without a connection the submission waits on the phone, after the week's saved rows.
    const queueSubmit = async (): Promise<boolean> => {
      const item = await enqueue({
        kind: 'week-submit',
        method: 'POST',
        path: `/api/time/weeks/${view.week}/submit`,
        idempotencyKey: submitKey.current ?? newId(),
        ...(queuedSave.current ? { after: queuedSave.current } : {}),
        summary: { title: view.week, href: `/time/weeks/${view.week}` },
      });
      if (!item) return false;
      submitKey.current = null;
      queuedSave.current = null;
      setMessage(t.offline.savedOnPhone);
      setBusy(null);
      return true;
    };
    if ((!navigator.onLine || queuedSave.current) && (await queueSubmit())) return;
    try {
      week.adopt(await submission.post<WeekView>(`/api/time/weeks/${view.week}/submit`));
      setMessage(t.time.submitted);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 0 && (await queueSubmit())) return;
      if (caught instanceof ApiError) {
        setError(caught);
        focusProblems();
      }
    } finally {
      setBusy(null);
    }
  };

  return { busy, error, message, onSave, onSubmit };
}
