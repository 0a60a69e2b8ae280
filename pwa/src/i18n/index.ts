/**
 * The UI language: Swedish by default, English on request. The choice is kept on this
 * device (localStorage) and, when signed in, on the account (see `session.ts`), and it
 * drives `<html lang>`, the texts, `Accept-Language` and `Intl` formatting.
 */
import { computed, effect, signal } from '@preact/signals';

import { en } from './en';
import { sv, type Messages } from './sv';

export type Locale = 'sv' | 'en';
export type { Messages };

export const LOCALES: readonly Locale[] = ['sv', 'en'];
/** Each language named in itself, as language pickers show them. */
export const LOCALE_NAMES: Record<Locale, string> = { sv: 'Svenska', en: 'English' };
/** The locale `Intl` formats with: Swedish or British conventions (day month year, 24-hour clock). */
export const INTL_LOCALES: Record<Locale, string> = { sv: 'sv-SE', en: 'en-GB' };

const STORAGE_KEY = 'selfservice.locale';
const dictionaries: Record<Locale, Messages> = { sv, en };

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

/** The texts in the current language; components that read it re-render on a switch. */
export const messages = computed<Messages>(() => dictionaries[locale.value]);

/** Shorthand for components: `const t = useT();` then `t.login.title`. */
export function useT(): Messages {
  return messages.value;
}

export function intlLocale(): string {
  return INTL_LOCALES[locale.value];
}

/** Switch the language on this device. Signed-in users should call `chooseLocale` in session.ts. */
export function setLocale(next: Locale): void {
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
