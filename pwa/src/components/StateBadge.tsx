import type { ItemState } from '../attest-types';
import { useT } from '../i18n';

/** The state in words (never colour alone); the shape and colour only help scanning a list. */
export function StateBadge({ state }: { state: ItemState }) {
  const t = useT();
  return <span class={`badge badge--${state}`}>{t.expenses.states[state]}</span>;
}
