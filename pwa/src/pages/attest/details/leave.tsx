/**
 * A leave request in the attest view: the kind of leave, its first and last day, the working days
 * it takes and the comment; for vacation also the employee's vacation days of that year.
 */
import { useT } from '../../../i18n';
import type { LeaveRequestView } from '../../leave/model';
import { BalanceFacts, RequestFacts } from '../../leave/parts';

export function LeaveRequestDetail({ detail }: { detail: unknown }) {
  const t = useT();
  const request = detail as LeaveRequestView;
  return (
    <>
      <section class="card" aria-labelledby="attest-leave-heading">
        <h2 id="attest-leave-heading">{t.leave.details}</h2>
        <RequestFacts request={request} />
      </section>
      {request.balance && (
        <section class="card" aria-labelledby="attest-leave-balance">
          <h2 id="attest-leave-balance">{t.leave.balanceHeading(request.balance.year)}</h2>
          <BalanceFacts balance={request.balance} />
          <p class="muted">{t.attest.leave.balanceHint}</p>
        </section>
      )}
    </>
  );
}
