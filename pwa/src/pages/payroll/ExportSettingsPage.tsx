import { useState } from 'preact/hooks';

import { api, ApiError, type Schema } from '../../api';
import { BackLink } from '../../components/BackLink';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { useLoad } from '../../useLoad';

/** A configuration file as the API shows it: its TOML as JSON (tables of keys; text, whole numbers, true/false). */
type Configuration = Schema<'ConfigurationView'>;
type Document = Configuration['document'];
type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The form edits the tables; a key outside any table is kept as it is. */
function isTableEntry(entry: [string, unknown]): entry is [string, Table] {
  return isTable(entry[1]);
}

type Kind = 'code-mapping' | 'chart-of-accounts';

/** Payroll's export settings: the code mapping to the payroll system's lönearter and the chart of accounts. */
export function ExportSettingsPage() {
  const t = useT();
  return (
    <div class="stack">
      <BackLink href="/payroll/periods" text={t.periods.title} />
      <PageHeading title={t.exportSettings.title} />
      <p class="muted">{t.exportSettings.intro}</p>
      <ConfigurationEditor kind="code-mapping" title={t.exportSettings.mapping} hint={t.exportSettings.mappingHint} />
      <ConfigurationEditor kind="chart-of-accounts" title={t.exportSettings.chart} hint={t.exportSettings.chartHint} />
    </div>
  );
}

/** One file as editable tables (key -> value), saved whole; also downloaded and uploaded as the file. */
function ConfigurationEditor({ kind, title, hint }: { kind: Kind; title: string; hint: string }) {
  const t = useT();
  const [draft, setDraft] = useState<Document>({});
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const headingId = `settings-${kind}`;
  const loaded = useLoad(async (signal) => {
    const found = await api.get<Configuration>(`/api/payroll/${kind}`, { signal });
    if (!signal.aborted) setDraft(found.document);
    return found;
  }, [kind]);
  const config = loaded.data;
  const error = loaded.error ?? actionError;

  const show = (found: Configuration) => {
    loaded.setData(found);
    setDraft(found.document);
  };

  const change = (table: string, key: string, value: string) => {
    setSaved(false);
    setDraft((current) => {
      const rows = current[table];
      return { ...current, [table]: { ...(isTable(rows) ? rows : {}), [key]: value } };
    });
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      show(await api.put<Configuration>(`/api/payroll/${kind}`, { document: draft }));
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError) setActionError(caught);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setActionError(null);
    try {
      const text = new Blob([await file.text()], { type: 'text/plain;charset=utf-8' });
      await api.put<string>(`/api/payroll/${kind}/file`, text);
      show(await api.get<Configuration>(`/api/payroll/${kind}`));
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError) setActionError(caught);
    } finally {
      input.value = '';
    }
  };

  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p class="muted">{hint}</p>
      {config && (
        <p class="muted">
          {config.default
            ? t.exportSettings.defaults
            : t.exportSettings.changed(formatDateTime(config.changed_at ?? ''), config.changed_by ?? '')}
        </p>
      )}
      {!config && !error && <p class="loading">{t.app.loading}</p>}
      {config && (
        <form onSubmit={(event) => void save(event)} class="stack">
          {Object.entries(draft).filter(isTableEntry).map(([table, rows]) => (
            <fieldset key={table} class="fieldset">
              <legend>{table}</legend>
              <div class="settings-grid">
                {Object.entries(rows).map(([key, value]) => (
                  <div class="field" key={key}>
                    <label for={`${kind}-${table}-${key}`}>{key}</label>
                    <input
                      id={`${kind}-${table}-${key}`}
                      value={String(value)}
                      maxLength={100}
                      onInput={(event) => change(table, key, event.currentTarget.value)}
                    />
                  </div>
                ))}
              </div>
            </fieldset>
          ))}
          {error && <ProblemAlert error={error} listErrors />}
          {saved && (
            <p class="alert alert--success" role="status">
              {t.exportSettings.saved}
            </p>
          )}
          <div class="button-row">
            <button type="submit" class="button button--primary" aria-disabled={busy}>
              {t.exportSettings.save}
            </button>
            <a class="button button--secondary" href={`/api/payroll/${kind}/file`} download>
              {t.exportSettings.download}
            </a>
            <label class="button button--secondary">
              {t.exportSettings.upload}
              <input type="file" accept=".toml,text/plain" class="visually-hidden" onChange={(event) => void upload(event)} />
            </label>
          </div>
        </form>
      )}
      {!config && error && <ProblemAlert error={error} />}
    </section>
  );
}
