import { useT } from '../i18n';
import { applyUpdate, updateAvailable } from './serviceWorker';

/** "A new version is available" with a reload button; the live region is always there so it is announced. */
export function UpdateBanner() {
  const t = useT();
  return (
    <div class="update-banner" role="status">
      {updateAvailable.value && (
        <>
          <p>{t.update.available}</p>
          <button type="button" class="button" onClick={applyUpdate}>
            {t.update.reload}
          </button>
        </>
      )}
    </div>
  );
}
