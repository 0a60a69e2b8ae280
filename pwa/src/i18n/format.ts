/**
 * Dates, numbers and money in the user's language.
 * Money arrives as decimal strings ("1234.50") and is formatted without going through
 * a float, so what is shown is exactly what the server computed.
 *
 * The everyday formats are written out by `plain.ts` (a page's first Intl formatter costs
 * 40-75 ms of main thread, 4x that on a cheap phone, in the middle of the first render);
 * anything else goes through `Intl`. Calendar dates from the API ("2026-12-08") are always
 * in reach of `plain.ts`; text that is not a date is shown as it came.
 */
import { intlLocale, locale } from './index';
import {
  parseIsoDate,
  plainDate,
  plainDateRange,
  plainDateTime,
  plainDayMonth,
  plainMoney,
  plainMonthName,
  plainMonthYear,
  plainNumber,
  plainWeekday,
  swedishDate,
} from './plain';

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

/** A number formatter in the user's language, made once. */
export function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `n|${intlLocale()}|${JSON.stringify(options)}`;
  let found = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!found) formatters.set(key, (found = new Intl.NumberFormat(intlLocale(), options)));
  return found;
}

/** The language of the texts (the plain formats are written per language). */
const lang = () => locale.value;

/** A calendar date from the API ("2026-12-08"), shown as that same date everywhere. */
export function formatDate(isoDate: string, style: DateStyle = 'long'): string {
  const parsed = parseIsoDate(isoDate);
  return parsed ? plainDate(lang(), parsed, style) : isoDate;
}

/** A day of a week: "mån 16" (short), "måndag 16" (day) or "måndag 16 november" (long). */
export function formatWeekday(isoDate: string, style: 'short' | 'day' | 'long'): string {
  const parsed = parseIsoDate(isoDate);
  return parsed ? plainWeekday(lang(), parsed, style) : isoDate;
}

/** A moment in time (UTC timestamp from the API), shown in Swedish time. */
export function formatDateTime(timestamp: string | Date, style: DateStyle = 'medium'): string {
  const date = typeof timestamp === 'string' ? new Date(timestamp) : timestamp;
  const plain = plainDateTime(lang(), date, style);
  if (plain !== null) return plain;
  return dateTimeFormat({ dateStyle: style, timeStyle: 'short', timeZone: TIME_ZONE }).format(date);
}

/** Today's date in Sweden, with the weekday: "måndag 23 november 2026". */
export function formatToday(now: Date = new Date()): string {
  const today = swedishDate(now);
  if (today) return plainDate(lang(), today, 'full');
  return dateTimeFormat({ dateStyle: 'full', timeZone: TIME_ZONE }).format(now);
}

export function formatNumber(value: number | string, fractionDigits?: number): string {
  const options: Intl.NumberFormatOptions =
    fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  const plain = plainNumber(lang(), value, fractionDigits ?? 0, fractionDigits ?? 3);
  if (plain !== null) return plain;
  return numberFormat(options).format(value as Intl.StringNumericLiteral);
}

/** "1 234,50 kr" in Swedish, "SEK 1,234.50" in English. */
export function formatMoney(amount: string | number, currency = 'SEK'): string {
  const plain = plainMoney(lang(), amount, currency);
  if (plain !== null) return plain;
  return numberFormat({ style: 'currency', currency }).format(amount as Intl.StringNumericLiteral);
}

/** A pay period ("2026-12") as "december 2026" / "December 2026". */
export function formatPeriod(period: string): string {
  const parsed = parseIsoDate(`${period.slice(0, 7)}-15`);
  return parsed ? plainMonthYear(lang(), parsed) : period;
}

/** Only the month of a pay period: "december" / "December". */
export function formatMonthName(period: string): string {
  const parsed = parseIsoDate(`${period.slice(0, 7)}-15`);
  return parsed ? plainMonthName(lang(), parsed) : period;
}

/** Hours as people write them: "40 tim" / "40 h" is left to the texts; this gives "7,5". */
export function formatHours(hours: string | number): string {
  const plain = plainNumber(lang(), hours, 0, 2);
  if (plain !== null) return plain;
  return numberFormat({ maximumFractionDigits: 2 }).format(hours as Intl.StringNumericLiteral);
}

/** Today's date in Sweden as an ISO date ("2026-11-23"): deadlines count in Swedish days. */
export function todayInSweden(now: Date = new Date()): string {
  const today = swedishDate(now);
  if (!today) return dateTimeFormat({ timeZone: TIME_ZONE }, 'en-CA').format(now); // en-CA writes ISO dates
  return `${today.year}-${String(today.month + 1).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
}

/** A calendar date as day and month: "8 december" / "8 December". */
export function formatDayMonth(isoDate: string): string {
  const parsed = parseIsoDate(isoDate);
  return parsed ? plainDayMonth(lang(), parsed) : isoDate;
}

/** Two calendar dates as a range: "17–23 nov." / "17 – 23 Nov" (the year only when they differ). */
export function formatDateRange(first: string, last: string): string {
  const from = parseIsoDate(first);
  const to = parseIsoDate(last);
  return from && to ? plainDateRange(lang(), from, to) : `${first}–${last}`;
}
