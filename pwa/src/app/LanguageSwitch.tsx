import { LOCALE_NAMES, LOCALES, locale, useT } from '../i18n';
import { chooseLocale } from '../session';

/** Both languages as toggle buttons, each named in its own language. */
export function LanguageSwitch() {
  const t = useT();
  return (
    <div class="lang-switch" role="group" aria-label={t.language.label}>
      {LOCALES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={locale.value === code}
          onClick={() => void chooseLocale(code)}
        >
          {LOCALE_NAMES[code]}
        </button>
      ))}
    </div>
  );
}
