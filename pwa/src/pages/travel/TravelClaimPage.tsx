import { useRoute } from 'preact-iso';

import { BackLink } from '../../components/BackLink';
import { ItemHistory } from '../../components/ItemHistory';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { StateBadge } from '../../components/StateBadge';
import { useT } from '../../i18n';
import { AttestStatus, fieldMessage, focusSoon, FormProblems } from '../time/common';
import { ReportError } from '../cases/ReportError';
import { ClaimActions } from './ClaimActions';
import { MealsSection } from './MealsSection';
import { MileageSection } from './MileageSection';
import { tripDays } from './model';
import { ClaimFacts, TravelResult } from './parts';
import { TripExpenses } from './TripExpenses';
import { TripSection } from './TripSection';
import { useTravelClaimForm } from './useTravelClaimForm';
import { useTravelClaimSave } from './useTravelClaimSave';
import { useTripChoices } from './useTripChoices';

export function TravelClaimPage() {
  const { params } = useRoute();
  const id = params.id ?? 'new';
  return <ClaimEditor key={id} routeId={id} />;
}

/** A travel claim: the trip, meals, mileage, expenses; per diem and mileage computed and explained; submission. */
function ClaimEditor({ routeId }: { routeId: string }) {
  const t = useT();
  const editor = useTravelClaimForm(routeId);
  const { id, creating, claim, form, dirty } = editor;
  const { busy, error, message, onSave, onSubmit, remove, save } = useTravelClaimSave(editor);
  const { available, countries } = useTripChoices(form.departure_at);

  if (!creating && !claim) {
    return (
      <PageLoad
        error={editor.loadError}
        lead={<BackLink href="/travel" text={t.travel.back} />}
        notFound={<PageHeading title={t.travel.notFound} />}
      />
    );
  }

  const editable = claim ? claim.editable : true;
  const state = claim?.state ?? 'draft';
  const days = tripDays(form.departure_at, form.return_at);
  const errorFor = (field: string): string | undefined => editor.missingFor(field) ?? fieldMessage(error, field);

  const title = claim
    ? claim.destination
      ? t.travel.claimTitle(claim.destination)
      : t.travel.claimUntitled
    : t.travel.newTitle;

  return (
    <div class="stack">
      <BackLink href="/travel" text={t.travel.back} />
      <div class="page-title">
        <PageHeading title={title} />
        {claim && <StateBadge state={state} />}
      </div>
      <p role="status" class={message ? 'alert alert--success' : 'visually-hidden'}>
        {message}
      </p>
      <AttestStatus
        state={state}
        attest={claim?.attest ?? null}
        returnedTitle={t.travel.returned}
        returnedHint={t.travel.returnedHint}
      />
      <FormProblems id="travel-problems" error={error} where={editor.placeOf} />

      {claim && <TravelResult claim={claim} stale={dirty} />}

      {editable ? (
        <form
          class="stack"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void onSave(save, () => focusSoon('travel-result'));
          }}
        >
          <TripSection
            form={form}
            countries={countries}
            update={editor.update}
            errorFor={errorFor}
            clearMissing={editor.clearMissing}
          />
          <MealsSection days={days} meals={form.meals} mealDays={editor.mealDays} error={error} update={editor.update} />
          <MileageSection
            legs={form.legs}
            days={days}
            error={error}
            onChange={editor.changeLeg}
            onRemove={editor.removeLeg}
            onAdd={() => editor.addLeg(days)}
          />
          <TripExpenses
            id={id}
            claim={claim}
            available={available}
            expenseIds={form.expense_ids}
            error={error}
            update={editor.update}
          />
          <ClaimActions
            busy={busy}
            stale={dirty && claim !== null}
            returned={state === 'returned'}
            onSubmit={() => void onSubmit(save, dirty || !claim)}
          />
        </form>
      ) : (
        claim && <ClaimFacts claim={claim} />
      )}

      {claim?.attest && (
        <ReportError subject={{ subject_kind: 'item', item_subject_id: claim.id }} about={title} id="report-travel" />
      )}
      {claim && <ItemHistory entries={claim.history} id="travel-history" />}

      {claim && editable && !claim.attest && (
        <p>
          <button type="button" class="button button--danger" onClick={() => void remove()}>
            {t.travel.delete}
          </button>
        </p>
      )}
    </div>
  );
}
