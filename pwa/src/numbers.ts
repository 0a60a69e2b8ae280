/**
 * Numbers as people type them, in one place: "7,5" and "7.5" alike, "1 234,50" with spaces,
 * whatever the browser's language. Number fields are text fields with `inputMode="decimal"`
 * (the phone shows digits), never `type="number"`: Chromium with an English locale drops the
 * comma of "7,5" in a number field and sends 75.
 */

/** What the user typed as the API's decimal string ("7.5"), or null when it is empty or not a number. */
export function parseDecimal(input: string): string | null {
  const compact = input.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (compact === '') return null;
  return /^\d+(\.\d+)?$/.test(compact) ? compact : null;
}

/** The value to send for a typed number: the decimal when it is one, else the text as typed (the server names the field). */
export function decimalOrTyped(input: string): string {
  return parseDecimal(input) ?? input.trim();
}
