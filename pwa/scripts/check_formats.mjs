#!/usr/bin/env node
/**
 * Checks that `src/i18n/plain.ts` writes dates, numbers, money and lists exactly as `Intl` does
 * (sv-SE and en-GB, Swedish time), over a few thousand random values and every summer-time
 * change from 1996 to 2040, using Node's Intl (the same ICU/CLDR data as Chromium, which writes
 * plain spaces around the English range dash where CLDR has thin ones). Run it after changing
 * plain.ts, or when a new ICU version may have changed a format:
 *
 *   node scripts/check_formats.mjs
 *
 * Exits non-zero and lists the first differences if there are any.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'rolldown';

const here = dirname(fileURLToPath(import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'plain-formats-'));
let plain;
try {
  await build({
    input: resolve(here, '..', 'src', 'i18n', 'plain.ts'),
    output: { dir: out, format: 'esm', entryFileNames: 'plain.mjs' },
    logLevel: 'silent',
  });
  plain = await import(pathToFileURL(join(out, 'plain.mjs')).href);
} finally {
  rmSync(out, { recursive: true, force: true });
}
const { parseIsoDate, plainDate, plainDateRange, plainDateTime, plainDayMonth, plainList, plainMoney, plainMonthName, plainMonthYear, plainNumber, plainWeekday, swedishDate } = plain;

const bad = [];
let checks = 0;
const check = (what, mine, intl) => {
  checks += 1;
  if (mine !== intl) bad.push(`${what}: ${JSON.stringify(mine)} != Intl ${JSON.stringify(intl)}`);
};
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const isoOf = (d) => `${d.year}-${String(d.month + 1).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

for (const [lang, locale] of [['sv', 'sv-SE'], ['en', 'en-GB']]) {
  const number = (options) => new Intl.NumberFormat(locale, options);
  const formats = {
    plain: number(),
    two: number({ minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    hours: number({ maximumFractionDigits: 2 }),
    money: number({ style: 'currency', currency: 'SEK' }),
  };
  const values = ['0', '-0', '0.005', '-0.005', '2.675', '1234.5', '-1234.5', '999999.995', '0001.50', '-0.004', '1.0005'];
  for (let i = 0; i < 2000; i++) {
    const whole = Math.floor(random() * 10 ** Math.floor(random() * 9));
    const fraction = String(Math.floor(random() * 100000)).padStart(5, '0').slice(0, Math.floor(random() * 6));
    values.push(`${random() < 0.3 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`);
  }
  for (const text of values) {
    for (const value of [text, Number(text)]) {
      check(`${lang} number ${text}`, plainNumber(lang, value), formats.plain.format(value));
      check(`${lang} 2 decimals ${text}`, plainNumber(lang, value, 2, 2), formats.two.format(value));
      check(`${lang} hours ${text}`, plainNumber(lang, value, 0, 2), formats.hours.format(value));
      check(`${lang} money ${text}`, plainMoney(lang, value, 'SEK'), formats.money.format(value));
    }
  }

  const date = (options) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
  const sweden = (options) => new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Stockholm', ...options });
  const styles = ['full', 'long', 'medium', 'short'];
  const range = date({ day: 'numeric', month: 'short' });
  for (let i = 0; i < 2000; i++) {
    const day = new Date(Date.UTC(1996, 0, 1 + Math.floor(random() * 365 * 45)));
    const iso = day.toISOString().slice(0, 10);
    const parsed = parseIsoDate(iso);
    for (const style of styles) check(`${lang} ${style} ${iso}`, plainDate(lang, parsed, style), date({ dateStyle: style }).format(day));
    check(`${lang} period ${iso}`, plainMonthYear(lang, parsed), date({ month: 'long', year: 'numeric' }).format(day));
    check(`${lang} month ${iso}`, plainMonthName(lang, parsed), date({ month: 'long' }).format(day));
    check(`${lang} day and month ${iso}`, plainDayMonth(lang, parsed), date({ day: 'numeric', month: 'long' }).format(day));
    check(`${lang} short weekday ${iso}`, plainWeekday(lang, parsed, 'short'), date({ weekday: 'short', day: 'numeric' }).format(day));
    check(`${lang} weekday ${iso}`, plainWeekday(lang, parsed, 'day'), date({ weekday: 'long', day: 'numeric' }).format(day));
    check(`${lang} weekday and month ${iso}`, plainWeekday(lang, parsed, 'long'), date({ weekday: 'long', day: 'numeric', month: 'long' }).format(day));
    const last = new Date(day.getTime() + Math.floor(random() * 40) * 86_400_000);
    const lastIso = last.toISOString().slice(0, 10);
    // CLDR puts thin spaces around the English range dash; Chromium writes plain spaces, and so do we.
    const intlRange = range.formatRange(day, last).replace(/\u2009/g, ' ');
    check(`${lang} range ${iso} ${lastIso}`, plainDateRange(lang, parsed, parseIsoDate(lastIso)), intlRange);
    const moment = new Date(day.getTime() + Math.floor(random() * 1440) * 60_000);
    for (const style of styles) {
      check(`${lang} ${style} time ${moment.toISOString()}`, plainDateTime(lang, moment, style), sweden({ dateStyle: style, timeStyle: 'short' }).format(moment));
    }
    check(`${lang} today ${moment.toISOString()}`, plainDate(lang, swedishDate(moment), 'full'), sweden({ dateStyle: 'full' }).format(moment));
    check(`today ISO ${moment.toISOString()}`, isoOf(swedishDate(moment)), new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(moment));
  }
  // Around every change to and from summer time: the last Sundays of March and October, 01:00 UTC.
  const around = sweden({ dateStyle: 'medium', timeStyle: 'short' });
  for (let year = 1996; year <= 2040; year++) {
    for (const month of [2, 9]) {
      const lastDay = new Date(Date.UTC(year, month + 1, 0, 1));
      const change = lastDay.getTime() - lastDay.getUTCDay() * 86_400_000;
      for (let minutes = -90; minutes <= 90; minutes += 15) {
        const moment = new Date(change + minutes * 60_000);
        check(`${lang} summer time ${moment.toISOString()}`, plainDateTime(lang, moment, 'medium'), around.format(moment));
      }
    }
  }
  const list = new Intl.ListFormat(locale, { type: 'conjunction' });
  for (const items of [[], ['a'], ['a', 'b'], ['a', 'b', 'c'], ['anställd', 'chef', 'lön', 'admin']]) {
    check(`${lang} list ${items.join('|')}`, plainList(items, lang === 'sv' ? 'och' : 'and'), list.format(items));
  }
}

console.log(`${checks} formats compared with Intl (ICU ${process.versions.icu}, CLDR ${process.versions.cldr}): ${bad.length} differ`);
for (const line of bad.slice(0, 30)) console.log(`  ${line}`);
process.exit(bad.length ? 1 : 0);
