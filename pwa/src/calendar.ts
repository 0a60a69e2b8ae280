/**
 * Arithmetic on calendar dates as the API writes them ("2026-11-23"): whole days, no time of day
 * and no time zone, so a date never shifts by one however the device's clock is set.
 */

/** A date plus some days ("2026-11-23" + 7 -> "2026-11-30"). */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/** Days from one date to another (negative when `to` comes first). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);
}
