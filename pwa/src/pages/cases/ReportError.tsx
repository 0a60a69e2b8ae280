import { useRef, useState } from 'preact/hooks';

import { api, ApiError, newId } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { online } from '../../offline/outbox';
import type { CaseSubject, CaseView } from './model';

/**
 * "Felanmäl": a small button that opens a phone-friendly form (what is wrong, an optional
 * photo or PDF) and sends an error report about `subject` to payroll.
 */
export function ReportError({ subject, about, id }: { subject: CaseSubject; about: string; id: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<CaseView | null>(null);
  const file = useRef<HTMLInputElement>(null);
  // One key per form: a second tap (or a retry after a lost answer) reports once.
  const [key, setKey] = useState(newId);

  if (created) {
    return (
      <p class="alert alert--success" role="status">
        {t.cases.sent} <a href={`/cases/${created.id}`}>{t.cases.openCase}</a>
      </p>
    );
  }
  if (!open) {
    return (
      <button type="button" class="link-button report-error" onClick={() => setOpen(true)} aria-label={`${t.cases.report}: ${about}`}>
        {t.cases.report}
      </button>
    );
  }

  const send = async (event: Event) => {
    event.preventDefault();
    if (!online.value) {
      setError(new ApiError({ title: t.cases.offline, status: 0, code: 'offline' }));
      return;
    }
    setBusy(true);
    setError(null);
    const form = new FormData();
    for (const [name, value] of Object.entries(subject)) {
      if (value !== undefined && value !== null && value !== '') form.append(name, String(value));
    }
    form.append('text', text);
    const chosen = file.current?.files?.[0];
    if (chosen) form.append('file', chosen, chosen.name);
    try {
      setCreated(await api.post<CaseView>('/api/cases', form, { headers: { 'Idempotency-Key': key } }));
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      setKey(newId());
    } finally {
      setBusy(false);
    }
  };
  const textError = error?.fieldError('text');
  const fileError = error?.fieldError('file');

  return (
    <form class="card stack report-form" onSubmit={send} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        {t.cases.reportTitle}: {about}
      </h3>
      <p class="muted">{t.cases.reportHint}</p>
      {error && !textError && !fileError && <ProblemAlert error={error} />}
      <div class="field">
        <label for={`${id}-text`}>{t.cases.text}</label>
        <textarea
          id={`${id}-text`}
          rows={4}
          maxLength={4000}
          required
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
          aria-invalid={textError ? true : undefined}
          aria-describedby={textError ? `${id}-text-error` : undefined}
        />
        {textError && (
          <p class="field__error" id={`${id}-text-error`}>
            {textError}
          </p>
        )}
      </div>
      <div class="field">
        <label for={`${id}-file`}>{t.cases.file}</label>
        <input
          id={`${id}-file`}
          ref={file}
          type="file"
          accept="image/*,application/pdf"
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? `${id}-file-error` : undefined}
        />
        {fileError && (
          <p class="field__error" id={`${id}-file-error`}>
            {fileError}
          </p>
        )}
      </div>
      <div class="button-row">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? t.cases.sending : t.cases.send}
        </button>
        <button type="button" class="button button--secondary" onClick={() => setOpen(false)} disabled={busy}>
          {t.cases.cancel}
        </button>
      </div>
    </form>
  );
}
