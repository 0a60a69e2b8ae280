import { useT } from '../../i18n';
import type { WeekView } from './model';
import type { Busy } from './useWeekActions';

/** "Spara" and "Skicka in" (or "Skicka in igen"), and a note while there are changes not saved. */
export function WeekActions({
  view,
  busy,
  dirty,
  onSave,
  onSubmit,
}: {
  view: WeekView;
  busy: Busy;
  dirty: boolean;
  onSave: () => void;
  onSubmit: () => void;
}) {
  const t = useT();
  return (
    <div class="action-bar">
      <div class="button-row">
        <button type="button" class="button button--secondary" aria-disabled={busy !== null} onClick={onSave}>
          {busy === 'save' ? t.time.saving : t.time.save}
        </button>
        <button type="button" class="button button--primary" aria-disabled={busy !== null} onClick={onSubmit}>
          {busy === 'submit' ? t.time.submitting : view.state === 'returned' ? t.time.resubmit : t.time.submit}
        </button>
      </div>
      {dirty && <p class="muted action-bar__note">{t.time.unsavedNote}</p>}
    </div>
  );
}
