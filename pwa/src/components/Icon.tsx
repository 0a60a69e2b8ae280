/**
 * The app's icons: small SVGs drawn in the text's colour that ship inside the bundle. Not emoji or
 * dingbats: those depend on the phone's fonts, and where no emoji font is installed a lock shows
 * as an empty box. Decorative (`aria-hidden`): the text beside an icon says what it means.
 */
const PATHS = {
  lock: 'M5 7V5a3 3 0 0 1 6 0v2h1a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1Zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2Z',
  warning: 'M8 1.5a1 1 0 0 1 .87.5l6 10.5A1 1 0 0 1 14 14H2a1 1 0 0 1-.87-1.5l6-10.5A1 1 0 0 1 8 1.5ZM7.25 6v3.5h1.5V6h-1.5Zm0 4.75v1.5h1.5v-1.5h-1.5Z',
  check: 'M6.2 11.6 2.9 8.3l1.06-1.06L6.2 9.48l5.84-5.84L13.1 4.7l-6.9 6.9Z',
  cross: 'm4.47 3.41 3.53 3.53 3.53-3.53 1.06 1.06L9.06 8l3.53 3.53-1.06 1.06L8 9.06l-3.53 3.53-1.06-1.06L6.94 8 3.41 4.47l1.06-1.06Z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" fill-rule="evenodd" />
    </svg>
  );
}
