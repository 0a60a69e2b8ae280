import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { discardUpload, replaceFile, retryUpload, uploads, type PendingUpload } from './uploads';

/** One receipt on its way: a progress bar while sending, and what to do when it did not get through. */
export function UploadProgress({ upload, showLink = false }: { upload: PendingUpload; showLink?: boolean }) {
  const t = useT();
  const percent = Math.round(upload.progress * 100);
  const onFile = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) replaceFile(upload.id, file);
  };
  return (
    <div class="upload">
      <p class="upload__name">{upload.name}</p>
      {upload.status === 'uploading' && (
        <>
          <label class="upload__label" for={`upload-${upload.id}`}>
            {t.expenses.uploading(percent)}
          </label>
          <progress id={`upload-${upload.id}`} class="progress" max={100} value={percent}>
            {percent} %
          </progress>
        </>
      )}
      {upload.status === 'waiting' && <p class="alert alert--info">{t.expenses.uploadWaiting}</p>}
      {upload.status === 'failed' && upload.error && <ProblemAlert error={upload.error} />}
      {upload.status !== 'uploading' && (
        <div class="button-row">
          {upload.status === 'waiting' || (upload.error?.status ?? 0) >= 500 ? (
            <button type="button" class="button button--primary" onClick={() => retryUpload(upload.id)}>
              {t.expenses.retry}
            </button>
          ) : (
            <label class="button button--primary file-button">
              <input class="visually-hidden" type="file" accept="image/*,application/pdf" onChange={onFile} />
              {t.expenses.chooseAnother}
            </label>
          )}
          <button type="button" class="button button--secondary" onClick={() => discardUpload(upload.id)}>
            {t.expenses.discard}
          </button>
          {showLink && (
            <a class="button button--secondary" href={`/expenses/${upload.id}`}>
              {t.expenses.openPending}
            </a>
          )}
        </div>
      )}
    </div>
  );
}

/** Every receipt not yet received by the server (also those left from an earlier visit). */
export function PendingUploads() {
  const t = useT();
  const pending = Object.values(uploads.value).sort((a, b) => a.createdAt - b.createdAt);
  if (!pending.length) return null;
  return (
    <section class="card" aria-labelledby="expenses-pending">
      <h2 id="expenses-pending">{t.expenses.pendingUploads}</h2>
      <ul class="plain-list">
        {pending.map((upload) => (
          <li key={upload.id}>
            <UploadProgress upload={upload} showLink />
          </li>
        ))}
      </ul>
    </section>
  );
}
