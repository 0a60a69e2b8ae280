/**
 * The UI language: Swedish by default, English on request. The choice is kept on this
 * device (localStorage) and, when signed in, on the account (see `session.ts`), and it
 * drives `<html lang>`, the texts, `Accept-Language` and `Intl` formatting.
 */
import { computed, effect, signal } from '@preact/signals';

import { sv, type Messages } from './sv';

export type Locale = 'sv' | 'en';
export type { Messages };

export const LOCALES: readonly Locale[] = ['sv', 'en'];
/** Each language named in itself, as language pickers show them. */
export const LOCALE_NAMES: Record<Locale, string> = { sv: 'Svenska', en: 'English' };
/** The locale `Intl` formats with: Swedish or British conventions (day month year, 24-hour clock). */
export const INTL_LOCALES: Record<Locale, string> = { sv: 'sv-SE', en: 'en-GB' };

const STORAGE_KEY = 'selfservice.locale';
/**
 * Swedish (the default) is part of the app's first download; English is its own chunk, loaded
 * when it is chosen. Each dictionary is ~30 kB of code that every start would otherwise parse
 * and run for a language most users never see.
 */
const dictionaries = signal<Partial<Record<Locale, Messages>>>({ sv });
const loading: Partial<Record<Locale, Promise<void>>> = {};

/** Make sure a language's texts are here (at once for Swedish, one small download for English). */
export function loadMessages(next: Locale): Promise<void> {
  if (dictionaries.peek()[next]) return Promise.resolve();
  const pending = (loading[next] ??= import('./en').then((module) => {
    dictionaries.value = { ...dictionaries.peek(), en: module.en };
  }));
  // A failed download (offline, not yet cached) can be tried again on the next switch.
  pending.catch(() => delete loading[next]);
  return pending;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'sv' || value === 'en';
}

/** The choice made on this device, if any. */
export function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage blocked (private mode, policies): fall back to the default
  }
}

export const locale = signal<Locale>(storedLocale() ?? 'sv');

/**
 * Resolves when the texts of the language the app starts in are loaded: main.tsx renders after it
 * (at once for Swedish). Should English fail to load, the app starts in Swedish.
 */
export const messagesReady: Promise<void> = loadMessages(locale.peek()).catch(() => {
  locale.value = 'sv';
});

/** The texts in the current language; components that read it re-render on a switch. */
export const messages = computed<Messages>(() => dictionaries.value[locale.value] ?? sv);

/** Shorthand for components: `const t = useT();` then `t.login.title`. */
export function useT(): Messages {
  return messages.value;
}

export function intlLocale(): string {
  return INTL_LOCALES[locale.value];
}

/**
 * Switch the language on this device (once its texts are loaded). Signed-in users should call
 * `chooseLocale` in session.ts.
 */
export async function setLocale(next: Locale): Promise<void> {
  await loadMessages(next);
  locale.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered on this device; the account still keeps it when signed in
  }
}

effect(() => {
  document.documentElement.lang = locale.value;
});
