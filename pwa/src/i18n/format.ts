/**
 * Dates, numbers and money in the user's language through `Intl`.
 * Money arrives as decimal strings ("1234.50") and is formatted without going through
 * a float, so what is shown is exactly what the server computed.
 */
import { intlLocale } from './index';

/** Deadlines and dates in this product are Swedish dates. */
export const TIME_ZONE = 'Europe/Stockholm';

type DateStyle = 'long' | 'medium' | 'short';

// Making an Intl formatter costs far more than using one (about 0.2 ms each, 4x that on a cheap
// phone), and a payslip formats a hundred amounts: each language-and-options pair is made once.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

/** A date formatter in the user's language (or the given locale), made once. */
export function dateTimeFormat(options: Intl.DateTimeFormatOptions, locale: string = intlLocale()): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let found = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!found) formatters.set(key, (found = new Intl.DateTimeFormat(locale, options)));
  return found;
}

/**
 * The browser's first Intl formatter loads its locale data (30-100 ms on this machine's cores,
 * several times that on a cheap phone). Done while the first screen is being built, that cost
 * is not a frozen page later when the signed-in page renders its first date.
 */
export function warmUpIntl(): void {
  dateTimeFormat({ dateStyle: 'long', timeZone: 'UTC' }).format(0);
}

/** A number formatter in the user's language, made once. */
export function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `n|${intlLocale()}|${JSON.stringify(options)}`;
  let found = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!found) formatters.set(key, (found = new Intl.NumberFormat(intlLocale(), options)));
  return found;
}

/** A calendar date from the API ("2026-12-08"), shown as that same date everywhere. */
export function formatDate(isoDate: string, style: DateStyle = 'long'): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  return dateTimeFormat({ dateStyle: style, timeZone: 'UTC' }).format(date);
}

/** A moment in time (UTC timestamp from the API), shown in Swedish time. */
export function formatDateTime(timestamp: string | Date, style: DateStyle = 'medium'): string {
  const date = typeof timestamp === 'string' ? new Date(timestamp) : timestamp;
  return dateTimeFormat({ dateStyle: style, timeStyle: 'short', timeZone: TIME_ZONE }).format(date);
}

/** Today's date in Sweden, with the weekday: "måndag 23 november 2026". */
export function formatToday(now: Date = new Date()): string {
  return dateTimeFormat({ dateStyle: 'full', timeZone: TIME_ZONE }).format(now);
}

export function formatNumber(value: number | string, fractionDigits?: number): string {
  const options: Intl.NumberFormatOptions =
    fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  return numberFormat(options).format(value as Intl.StringNumericLiteral);
}

/** "1 234,50 kr" in Swedish, "SEK 1,234.50" in English. */
export function formatMoney(amount: string | number, currency = 'SEK'): string {
  return numberFormat({ style: 'currency', currency }).format(amount as Intl.StringNumericLiteral);
}

/** A pay period ("2026-12") as "december 2026" / "December 2026". */
export function formatPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 15));
  return dateTimeFormat({ month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Only the month of a pay period: "december" / "December". */
export function formatMonthName(period: string): string {
  const [y, m] = period.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 15));
  return dateTimeFormat({ month: 'long', timeZone: 'UTC' }).format(date);
}

/** Hours as people write them: "40 tim" / "40 h" is left to the texts; this gives "7,5". */
export function formatHours(hours: string | number): string {
  return numberFormat({ maximumFractionDigits: 2 }).format(hours as Intl.StringNumericLiteral);
}
