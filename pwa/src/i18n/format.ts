/**
 * Dates, numbers and money in the user's language through `Intl`.
 * Money arrives as decimal strings ("1234.50") and is formatted without going through
 * a float, so what is shown is exactly what the server computed.
 */
import { intlLocale } from './index';

/** Deadlines and dates in this product are Swedish dates. */
export const TIME_ZONE = 'Europe/Stockholm';

type DateStyle = 'long' | 'medium' | 'short';

/** A calendar date from the API ("2026-12-08"), shown as that same date everywhere. */
export function formatDate(isoDate: string, style: DateStyle = 'long'): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: style, timeZone: 'UTC' }).format(date);
}

/** A moment in time (UTC timestamp from the API), shown in Swedish time. */
export function formatDateTime(timestamp: string | Date, style: DateStyle = 'medium'): string {
  const date = typeof timestamp === 'string' ? new Date(timestamp) : timestamp;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: style, timeStyle: 'short', timeZone: TIME_ZONE }).format(date);
}

/** Today's date in Sweden, with the weekday: "måndag 23 november 2026". */
export function formatToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'full', timeZone: TIME_ZONE }).format(now);
}

export function formatNumber(value: number | string, fractionDigits?: number): string {
  const options: Intl.NumberFormatOptions =
    fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  return new Intl.NumberFormat(intlLocale(), options).format(value as Intl.StringNumericLiteral);
}

/** "1 234,50 kr" in Swedish, "SEK 1,234.50" in English. */
export function formatMoney(amount: string | number, currency = 'SEK'): string {
  return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency }).format(
    amount as Intl.StringNumericLiteral,
  );
}

/** A pay period ("2026-12") as "december 2026" / "December 2026". */
export function formatPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 15));
  return new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Only the month of a pay period: "december" / "December". */
export function formatMonthName(period: string): string {
  const [y, m] = period.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 15));
  return new Intl.DateTimeFormat(intlLocale(), { month: 'long', timeZone: 'UTC' }).format(date);
}

/** Hours as people write them: "40 tim" / "40 h" is left to the texts; this gives "7,5". */
export function formatHours(hours: string | number): string {
  return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 2 }).format(hours as Intl.StringNumericLiteral);
}
