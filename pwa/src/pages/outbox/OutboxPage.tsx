import { useEffect } from 'preact/hooks';

import { PageHeading } from '../../components/PageHeading';
import { useT } from '../../i18n';
import { OutboxList } from '../../offline/OutboxList';
import { flush, outbox, refreshOutbox } from '../../offline/outbox';

/** "Väntar på att skickas": everything done on this phone that the server has not got yet. */
export function OutboxPage() {
  const t = useT();
  useEffect(() => {
    void refreshOutbox().then(() => flush());
  }, []);
  return (
    <div class="stack">
      <PageHeading title={t.offline.title} />
      <p>{t.offline.intro}</p>
      {outbox.value.length ? <OutboxList /> : <p class="empty-state">{t.offline.empty}</p>}
    </div>
  );
}
