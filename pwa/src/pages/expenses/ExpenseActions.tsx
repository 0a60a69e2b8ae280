/** The expense form's buttons: "Skicka för attest" (an expense not yet in a claim) and "Spara". */
import { useT } from '../../i18n';

export function ExpenseActions({
  oneTap,
  saving,
  onSubmitForAttest,
}: {
  /** Not in a claim: it can be sent for attest on its own, in one tap. */
  oneTap: boolean;
  saving: false | 'save' | 'submit';
  onSubmitForAttest: () => void;
}) {
  const t = useT();
  return (
    <div class="action-bar">
      {oneTap && (
        <button
          type="button"
          class="button button--primary button--block"
          aria-disabled={Boolean(saving)}
          onClick={onSubmitForAttest}
        >
          {saving === 'submit' ? t.expenses.form.submitting : t.expenses.form.submit}
        </button>
      )}
      <button
        type="submit"
        class={oneTap ? 'button button--secondary button--block' : 'button button--primary button--block'}
        aria-disabled={Boolean(saving)}
      >
        {saving === 'save' ? t.expenses.form.saving : t.expenses.form.save}
      </button>
    </div>
  );
}
