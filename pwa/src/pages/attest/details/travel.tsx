/**
 * A travel claim in the attest view, as the employee's own claim page shows it once submitted:
 * the trip's facts (destination, times, distances, lodging, meals, attached expenses), then the
 * computed result: totals split into tax-free and taxable, per diem day by day and mileage leg
 * by leg, each with the rule applied in words.
 */
import { ClaimFacts, TravelResult } from '../../travel/parts';
import type { TravelClaimView } from '../../travel/model';

export function TravelClaimDetail({ detail }: { detail: unknown }) {
  const claim = detail as TravelClaimView;
  return (
    <>
      <ClaimFacts claim={claim} />
      <TravelResult claim={claim} />
    </>
  );
}
