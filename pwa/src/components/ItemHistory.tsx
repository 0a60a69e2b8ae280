import type { HistoryEntry } from '../attest-types';
import { useT } from '../i18n';
import { formatDateTime } from '../i18n/format';

/** Who did what to an item, when and why (nothing when nothing has happened yet). The words are the attest
 * inbox's (`t.attest.actions`), one set for claims, weeks, trips and leave alike. */
export function ItemHistory({ entries, id }: { entries: HistoryEntry[]; id: string }) {
  const t = useT();
  if (!entries.length) return null;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{t.expenses.claim.history}</h2>
      <ol class="history">
        {entries.map((entry, index) => (
          <li key={index} class="history__entry">
            <time dateTime={entry.occurred_at}>{formatDateTime(entry.occurred_at)}</time>
            <p>
              <strong>{entry.actor ?? t.expenses.claim.system}</strong>
              {entry.on_behalf_of && ` ${t.expenses.claim.onBehalfOf(entry.on_behalf_of)}`}
              {': '}
              {t.attest.actions[entry.action] ?? entry.action}
            </p>
            {entry.reason && <p class="muted">{t.expenses.claim.reason(entry.reason)}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
