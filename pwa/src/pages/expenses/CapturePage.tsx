import { useMemo } from 'preact/hooks';

import { newId } from '../../api';
import { BackLink } from '../../components/BackLink';
import { PageHeading } from '../../components/PageHeading';
import { useT } from '../../i18n';
import { CaptureButtons } from './parts';
import { PendingUploads } from './PendingUploads';

/** A new receipt: the camera, a file (image or one-page PDF), or an expense without a receipt. */
export function CapturePage() {
  const t = useT();
  // The id of an expense typed in by hand: the first save creates it (PUT), a repeated save replaces it.
  const manualId = useMemo(() => newId(), []);
  return (
    <div class="stack">
      <BackLink href="/expenses" text={t.expenses.back} />
      <section class="card capture-card">
        <PageHeading title={t.expenses.captureTitle} />
        <p>{t.expenses.captureHint}</p>
        <CaptureButtons showFilePicker />
        <p class="capture-card__more">
          <a href={`/expenses/${manualId}?new=1`}>{t.expenses.withoutReceipt}</a>
        </p>
      </section>
      <PendingUploads />
    </div>
  );
}
