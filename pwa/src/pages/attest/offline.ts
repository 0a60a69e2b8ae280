/**
 * Attest decisions made without a connection wait in the outbox (src/offline/) and go as one
 * `POST /api/attest/decisions` with their own `Idempotency-Key` and each item's `version`: the
 * server decides once, and refuses (409) an item that someone else decided or that changed
 * meanwhile; that is then shown in "Väntar på att skickas" with the server's message.
 */
import { newId } from '../../api';
import { enqueue, outbox } from '../../offline/outbox';

export interface Decided {
  id: string;
  version: number;
  title: string;
  employee: { name: string };
}

/** Queue a batch; `key` is the batch's Idempotency-Key when a try without an answer came first. */
export async function queueDecisions(
  items: Decided[],
  action: 'approve' | 'return',
  reason?: string,
  key: string = newId(),
): Promise<boolean> {
  const first = items[0];
  if (!first) return false;
  const decisions = items.map((item) => ({
    item_id: item.id,
    action,
    version: item.version,
    ...(reason ? { reason } : {}),
  }));
  const queued = await enqueue({
    kind: 'decision',
    method: 'POST',
    path: '/api/attest/decisions',
    body: { decisions },
    idempotencyKey: key,
    summary: {
      action,
      title: items.length === 1 ? `${first.employee.name}: ${first.title}` : items.map((item) => item.employee.name).join(', '),
      href: items.length === 1 ? `/attest/items/${first.id}` : '/attest',
    },
  });
  return queued !== null;
}

/** Attest items with a decision waiting on this phone: the inbox leaves them out of its list. */
export function waitingDecisionIds(): Set<string> {
  const ids = new Set<string>();
  for (const item of outbox.value) {
    if (item.kind !== 'decision' || item.state === 'conflict') continue;
    for (const decision of (item.body as { decisions?: Array<{ item_id: string }> } | undefined)?.decisions ?? []) {
      ids.add(decision.item_id);
    }
  }
  return ids;
}
