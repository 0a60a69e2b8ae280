import { useT } from '../../i18n';
import type { Busy } from '../time/useDraftActions';

/**
 * "Spara" (the form's submit button) and "Skicka in" (or "Skicka in igen"), with a note while
 * changes not saved make the computed result stale.
 */
export function ClaimActions({
  busy,
  stale,
  returned,
  onSubmit,
}: {
  busy: Busy;
  /** Changes not saved on a claim already computed. */
  stale: boolean;
  returned: boolean;
  onSubmit: () => void;
}) {
  const t = useT();
  return (
    <div class="action-bar">
      {stale && <p class="muted action-bar__note">{t.travel.recompute}</p>}
      <div class="button-row">
        <button type="submit" class="button button--secondary" aria-disabled={busy !== null}>
          {busy === 'save' ? t.travel.saving : t.travel.save}
        </button>
        <button type="button" class="button button--primary" aria-disabled={busy !== null} onClick={onSubmit}>
          {busy === 'submit' ? t.travel.submitting : returned ? t.travel.resubmit : t.travel.submit}
        </button>
      </div>
    </div>
  );
}
