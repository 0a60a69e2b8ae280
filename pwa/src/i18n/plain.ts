/**
 * Dates, numbers and money in Swedish and British English, written out without `Intl`.
 *
 * A page's first Intl formatter costs 40-75 ms of main thread on a desktop core (ICU sets itself
 * up), several times that on a cheap phone, on every cold start and right in the middle of the
 * first page's render. The app has two languages and a handful of formats, so these are written
 * out here, character for character as Intl writes them (sv-SE and en-GB: no-break spaces, the
 * real minus sign, "kl." and "at", "Sept"). Every function returns null for what it does not
 * cover (another currency, a number it cannot read exactly, a moment before 1996), and
 * `format.ts` then asks Intl.
 *
 * Swedish time is CET/CEST by the EU rule (summer time from the last Sunday of March to the last
 * Sunday of October, changing at 01:00 UTC), in force since 1996.
 */
export type Lang = 'sv' | 'en';
export type DateStyle = 'full' | 'long' | 'medium' | 'short';

const MONTHS: Record<Lang, readonly string[]> = {
  sv: ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
const MONTHS_SHORT: Record<Lang, readonly string[]> = {
  sv: ['jan.', 'feb.', 'mars', 'apr.', 'maj', 'juni', 'juli', 'aug.', 'sep.', 'okt.', 'nov.', 'dec.'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'],
};
/** By `getUTCDay()`: Sunday first. */
const WEEKDAYS: Record<Lang, readonly string[]> = {
  sv: ['söndag', 'måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const WEEKDAYS_SHORT: Record<Lang, readonly string[]> = {
  sv: ['sön', 'mån', 'tis', 'ons', 'tors', 'fre', 'lör'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};
const NUMBER_SYMBOLS: Record<Lang, { group: string; decimal: string; minus: string }> = {
  sv: { group: '\u00a0', decimal: ',', minus: '\u2212' },
  en: { group: ',', decimal: '.', minus: '-' },
};

const pad = (n: number): string => String(n).padStart(2, '0');

// --- numbers -------------------------------------------------------------------------------------

/**
 * `value` with between `min` and `max` decimals, rounded half away from zero as Intl does: a
 * string as the decimal it spells, a number as the shortest decimal that reads back as it
 * (`String(2.675)` is "2.675", so it becomes 2,68 as in Intl, not 2,67 as `toFixed` has it).
 */
export function plainNumber(lang: Lang, value: number | string, min = 0, max = 3): string | null {
  const text = typeof value === 'number' ? (Object.is(value, -0) ? '-0' : String(value)) : value.trim();
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text); // no exponents, NaN or Infinity
  if (!match) return null;
  const negative = match[1] === '-';
  const digits = roundDecimal(match[2] ?? '0', match[3] ?? '', max);
  const [whole = '0', fraction = ''] = digits.split('.');
  let kept = fraction;
  while (kept.length > min && kept.endsWith('0')) kept = kept.slice(0, -1);
  const symbols = NUMBER_SYMBOLS[lang];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, symbols.group);
  return `${negative ? symbols.minus : ''}${grouped}${kept ? symbols.decimal + kept : ''}`;
}

/** "whole.fraction" rounded half up to `places` decimals, as digits ("0012" stays exact, no floats). */
function roundDecimal(whole: string, fraction: string, places: number): string {
  const padded = fraction.padEnd(places, '0');
  let digits = (whole + padded.slice(0, places)).split('').map(Number);
  if ((padded.charCodeAt(places) || 48) >= 53) {
    // a carry from the last kept digit up
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i >= 0) digits[i] = (digits[i] ?? 0) + 1;
    else digits = [1, ...digits];
  }
  const text = digits.join('');
  const cut = text.length - places;
  const intPart = text.slice(0, cut).replace(/^0+(?=\d)/, '') || '0';
  return places ? `${intPart}.${text.slice(cut)}` : intPart;
}

/** Kronor: "1 234,50 kr" / "SEK 1,234.50"; null for other currencies. */
export function plainMoney(lang: Lang, amount: number | string, currency: string): string | null {
  if (currency !== 'SEK') return null;
  const number = plainNumber(lang, amount, 2, 2);
  if (number === null) return null;
  if (lang === 'sv') return `${number}\u00a0kr`;
  return number.startsWith('-') ? `-SEK\u00a0${number.slice(1)}` : `SEK\u00a0${number}`;
}

// --- dates ---------------------------------------------------------------------------------------

interface CalendarDate {
  year: number;
  /** 0-11 */
  month: number;
  day: number;
  /** 0 = Sunday */
  weekday: number;
}

/** "2026-12-08" (or the date part of a longer ISO string) as a calendar date. */
export function parseIsoDate(isoDate: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), day: date.getUTCDate(), weekday: date.getUTCDay() };
}

export function plainDate(lang: Lang, date: CalendarDate, style: DateStyle): string {
  const { year, month, day } = date;
  switch (style) {
    case 'full':
      return lang === 'sv'
        ? `${WEEKDAYS.sv[date.weekday]} ${day} ${MONTHS.sv[month]} ${year}`
        : `${WEEKDAYS.en[date.weekday]}, ${day} ${MONTHS.en[month]} ${year}`;
    case 'long':
      return `${day} ${MONTHS[lang][month]} ${year}`;
    case 'medium':
      return `${day} ${MONTHS_SHORT[lang][month]} ${year}`;
    case 'short':
      return lang === 'sv' ? `${year}-${pad(month + 1)}-${pad(day)}` : `${pad(day)}/${pad(month + 1)}/${year}`;
  }
}

/** "december 2026" / "December 2026". */
export function plainMonthYear(lang: Lang, date: CalendarDate): string {
  return `${MONTHS[lang][date.month]} ${date.year}`;
}

export function plainMonthName(lang: Lang, date: CalendarDate): string {
  return MONTHS[lang][date.month] ?? '';
}

/** "8 december" / "8 December". */
export function plainDayMonth(lang: Lang, date: CalendarDate): string {
  return `${date.day} ${MONTHS[lang][date.month]}`;
}

/** A day of a week: "mån 16" (short), "måndag 16" (day), "måndag 16 november" (long); English alike. */
export function plainWeekday(lang: Lang, date: CalendarDate, style: 'short' | 'day' | 'long'): string {
  const name = (style === 'short' ? WEEKDAYS_SHORT : WEEKDAYS)[lang][date.weekday];
  return style === 'long' ? `${name} ${date.day} ${MONTHS[lang][date.month]}` : `${name} ${date.day}`;
}

/** Two dates as "7–13 dec." / "7 – 13 Dec" (day and short month, the year only when they differ). */
export function plainDateRange(lang: Lang, first: CalendarDate, last: CalendarDate): string {
  const short = MONTHS_SHORT[lang];
  const dash = lang === 'sv' ? '\u2013' : ' \u2013 ';
  const sameYear = first.year === last.year;
  if (sameYear && first.month === last.month) {
    if (first.day === last.day) return `${first.day} ${short[first.month]}`;
    return `${first.day}${dash}${last.day} ${short[last.month]}`;
  }
  if (sameYear) return `${first.day} ${short[first.month]}${dash}${last.day} ${short[last.month]}`;
  return `${first.day} ${short[first.month]} ${first.year}${dash}${last.day} ${short[last.month]} ${last.year}`;
}

/** The last Sunday of a month at 01:00 UTC, when Swedish summer time starts (March) or ends (October). */
function lastSundayAtOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0, 1));
  return lastDay.getTime() - lastDay.getUTCDay() * 86_400_000;
}

/** Swedish wall-clock time of a moment, as the fields of a UTC date; null before 1996 (other rules). */
export function swedishTime(moment: Date): Date | null {
  const time = moment.getTime();
  if (!Number.isFinite(time)) return null;
  const year = moment.getUTCFullYear();
  if (year < 1996 || year > 9999) return null;
  const summer = time >= lastSundayAtOneUtc(year, 2) && time < lastSundayAtOneUtc(year, 9);
  return new Date(time + (summer ? 2 : 1) * 3_600_000);
}

function calendarDateOf(wallClock: Date): CalendarDate {
  return {
    year: wallClock.getUTCFullYear(),
    month: wallClock.getUTCMonth(),
    day: wallClock.getUTCDate(),
    weekday: wallClock.getUTCDay(),
  };
}

/** Today (or `moment`'s date) in Sweden. */
export function swedishDate(moment: Date): CalendarDate | null {
  const wallClock = swedishTime(moment);
  return wallClock ? calendarDateOf(wallClock) : null;
}

/** A moment as Swedish date and time: "8 dec. 2026 14:05" / "8 Dec 2026, 14:05". */
export function plainDateTime(lang: Lang, moment: Date, style: DateStyle): string | null {
  const wallClock = swedishTime(moment);
  if (!wallClock) return null;
  const date = plainDate(lang, calendarDateOf(wallClock), style);
  const time = `${pad(wallClock.getUTCHours())}:${pad(wallClock.getUTCMinutes())}`;
  if (style === 'full' || style === 'long') return lang === 'sv' ? `${date} kl. ${time}` : `${date} at ${time}`;
  return lang === 'sv' ? `${date} ${time}` : `${date}, ${time}`;
}

// --- lists ---------------------------------------------------------------------------------------

/** "a, b och c" / "a, b and c". */
export function plainList(items: readonly string[], and: string): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}
