import { useEffect } from 'preact/hooks';

import { api } from '../../api';
import { useT } from '../../i18n';
import { notice } from '../time/common';
import { useDraftActions } from '../time/useDraftActions';
import { toBody, type TravelClaimView } from './model';
import type { TravelClaimForm } from './useTravelClaimForm';

/**
 * "Spara", "Skicka in" and "Ta bort" for a travel claim (through `useDraftActions`), and `save`:
 * the form checked for what it asks itself, then stored by a PUT (which creates a new claim,
 * whose address then becomes the page's).
 */
export function useTravelClaimSave(editor: TravelClaimForm) {
  const t = useT();
  const { id, creating, form } = editor;
  const actions = useDraftActions({
    path: `/api/travel-claims/${id}`,
    problemsId: 'travel-problems',
    listHref: '/travel',
    texts: {
      saved: t.travel.saved,
      submitted: t.travel.submitted,
      deleted: t.travel.deleted,
      confirmDelete: t.travel.confirmDelete,
    },
    adopt: editor.adopt,
  });

  useEffect(() => {
    notice.value = null;
  }, []);

  /** The form stored; false when it was not (a missing field, a refusal). */
  const save = async (): Promise<boolean> => {
    if (!editor.checkRequired()) return false;
    const { body, mealDays: sent } = toBody(form);
    editor.setMealDays(sent);
    try {
      editor.adopt(await api.put<TravelClaimView>(`/api/travel-claims/${id}`, body));
      if (creating) history.replaceState(history.state, '', `/travel/claims/${id}`);
      return true;
    } catch (caught) {
      actions.refused(caught);
      return false;
    }
  };

  return { ...actions, save };
}
