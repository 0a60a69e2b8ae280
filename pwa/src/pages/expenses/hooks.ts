/** What the expense form asks the API for beside the expense itself. */
import { useEffect, useState } from 'preact/hooks';

import { api } from '../../api';
import { useLoad } from '../../useLoad';
import {
  isReading,
  type CostCentreView,
  type ExchangeRateView,
  type ReceiptView,
  type WellnessView,
} from './model';

const POLL_GIVE_UP_MS = 45_000;

export type ReadStatus = 'reading' | 'slow' | 'done' | 'failed' | null;

/**
 * Receipt interpretation runs in the server's background worker: ask until it is done
 * (quickly at first, then less often), then `onRead` fetches what it filled in.
 */
export function useReceiptReading(receipt: ReceiptView | null | undefined, onRead: () => Promise<unknown>): ReadStatus {
  const [status, setStatus] = useState<ReadStatus>(receipt?.state === 'failed' ? 'failed' : null);
  const receiptId = receipt?.id;
  const reading = isReading(receipt);
  useEffect(() => {
    if (!receiptId || !reading) return;
    setStatus('reading');
    let stopped = false;
    let delay = 800;
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const fresh = await api.get<ReceiptView>(`/api/receipts/${receiptId}`);
        if (stopped) return;
        if (!isReading(fresh)) {
          await onRead();
          if (!stopped) setStatus(fresh.state === 'failed' ? 'failed' : 'done');
          return;
        }
      } catch {
        // a lost answer: ask again
      }
      if (stopped) return;
      if (Date.now() - started > POLL_GIVE_UP_MS) setStatus('slow');
      delay = Math.min(delay * 1.4, 5000);
      timer = setTimeout(() => void poll(), delay);
    };
    timer = setTimeout(() => void poll(), delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [receiptId, reading]);
  useEffect(() => {
    if (receipt?.state === 'failed') setStatus((current) => current ?? 'failed');
  }, [receipt?.state]);
  return status;
}

export type RateInfo = { kind: 'fetched'; rate: string; date: string; source: string } | { kind: 'manual' } | null;

/**
 * SEK per unit of a foreign currency on the day, from the provider and the day it is from;
 * `manual` when there is no provider (the API says so with a 200, never a 404) or it cannot answer.
 */
export function useExchangeRate(enabled: boolean, currency: string, on: string): RateInfo {
  const { data, error } = useLoad(
    async (signal): Promise<RateInfo> => {
      if (!enabled || currency === 'SEK') return null;
      const query = /^\d{4}-\d{2}-\d{2}$/.test(on) ? `?on=${on}` : '';
      const found = await api.get<ExchangeRateView>(`/api/exchange-rates/${encodeURIComponent(currency)}${query}`, { signal });
      return found.rate !== null && found.date !== null
        ? { kind: 'fetched', rate: found.rate, date: found.date, source: found.source }
        : { kind: 'manual' };
    },
    [enabled, currency, on],
    { keep: true },
  );
  return error ? { kind: 'manual' } : data;
}

/** The year's wellness allowance against the tax-free cap, while the category is wellness (null without it). */
export function useWellness(enabled: boolean, year: string): WellnessView | null {
  const { data } = useLoad(
    (signal) => (enabled ? api.get<WellnessView>(`/api/wellness?year=${year}`, { signal }) : Promise.resolve(null)),
    [enabled, year],
  );
  return data;
}

/** The organisation's cost centres (none to choose from when they cannot be had). */
export function useCostCentres(): CostCentreView[] {
  return useLoad((signal) => api.get<CostCentreView[]>('/api/cost-centres', { signal }), []).data ?? [];
}
