import { useRef } from 'preact/hooks';

import { api, ApiError, newId } from './api';

/**
 * Sending an item for attest ("Skicka in"): every try of one submission carries the same
 * `Idempotency-Key`, so a repeat after a lost answer submits once; once the server has answered
 * (yes or no) the next try is a new request. `key` is the key of the submission under way, for
 * one that is queued on the phone instead of sent.
 */
export function useSubmission() {
  const key = useRef<string | null>(null);
  const post = async <T>(path: string): Promise<T> => {
    key.current ??= newId();
    try {
      const answer = await api.post<T>(path, undefined, { headers: { 'Idempotency-Key': key.current } });
      key.current = null;
      return answer;
    } catch (caught) {
      if (caught instanceof ApiError && caught.status !== 0) key.current = null; // answered: the next try is new
      throw caught;
    }
  };
  return { key, post };
}
