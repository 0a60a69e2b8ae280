/** Time weeks and time codes as the API shows them (backend/time/schemas.py), and week arithmetic. */
import type { Schema } from '../../api';
import { decimalOrTyped, parseDecimal } from '../../numbers';
import { addDays } from '../../calendar';

export type CodeKind = Schema<'CodeView'>['kind'];
export type ClockSpan = Schema<'ClockView'>;
export type ProjectRef = Schema<'ProjectRef'>;
export type RowView = Schema<'RowView'>;
export type ObHours = Schema<'ObHours'>;
export type LeaveMark = Schema<'LeaveMark'>;
export type DayView = Schema<'DayView'>;
export type WeekView = Schema<'WeekView'>;
export type WeekSummary = Schema<'WeekSummary'>;
export type CodeView = Schema<'CodeView'>;
export type CodesView = Schema<'CodesView'>;

/** A row as the form holds it: hours as typed (a number input gives "7.5"). */
export interface RowForm {
  key: string;
  code: string;
  project: ProjectRef | null;
  hours: string[];
  clock: Array<ClockSpan | null>;
  comment: string;
  support_code: string;
  invoice_text: string;
}

export type RowIn = Schema<'RowIn'>;

export const WEEK = /^\d{4}-W\d{2}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let keys = 0;
export function rowKey(): string {
  keys += 1;
  return `row-${keys}`;
}

/** A decimal string without trailing zeros ("8.00" -> "8", "7.50" -> "7.5"), or "" for nothing. */
export function plainHours(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const number = Number(value);
  if (!Number.isFinite(number) || number === 0) return '';
  return String(number);
}

export function toRowForm(row: RowView): RowForm {
  return {
    key: rowKey(),
    code: row.code,
    project: row.project,
    hours: Array.from({ length: 7 }, (_, d) => plainHours(row.hours[d])),
    clock: Array.from({ length: 7 }, (_, d) => row.clock[d] ?? null),
    comment: row.comment ?? '',
    support_code: row.support_code ?? '',
    invoice_text: row.invoice_text ?? '',
  };
}

export function blankRow(code: string): RowForm {
  return {
    key: rowKey(),
    code,
    project: null,
    hours: ['', '', '', '', '', '', ''],
    clock: [],
    comment: '',
    support_code: '',
    invoice_text: '',
  };
}

/** Minutes after midnight of a clock time ("18:30" -> 1110), or null when it is not HH:MM. */
export function clockMinutes(value: string | undefined): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value ?? '');
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Both times given (the form holds half-typed spans too). */
export function completeSpan(span: ClockSpan | null | undefined): span is ClockSpan {
  return clockMinutes(span?.start) !== null && clockMinutes(span?.end) !== null;
}

/** One of the two times given but not the other: the API takes a whole span or none. */
export function partialSpan(span: ClockSpan | null | undefined): boolean {
  if (!span || (span.start === '' && span.end === '')) return false;
  return !completeSpan(span);
}

/**
 * The hours between start and end as the API counts them (backend/domain/time/ob.py, ClockSpan):
 * an end at or before the start is the next day, so 22:00-06:00 is 8 hours and 08:00-08:00 is 24.
 */
export function spanHours(span: ClockSpan | null | undefined): number | null {
  if (!completeSpan(span)) return null;
  let minutes = (clockMinutes(span.end) ?? 0) - (clockMinutes(span.start) ?? 0);
  if (minutes <= 0) minutes += 24 * 60;
  return minutes / 60;
}

/** A shift ending the next day (its end at or before its start). */
export function endsNextDay(span: ClockSpan): boolean {
  return (clockMinutes(span.end) ?? 0) <= (clockMinutes(span.start) ?? 0);
}

export function toRowIn(row: RowForm): RowIn {
  const text = (value: string) => value.trim() || null;
  const clock = Array.from({ length: 7 }, (_, d) => {
    const span = row.clock[d];
    return completeSpan(span) ? { start: span.start, end: span.end } : null;
  });
  return {
    code: row.code,
    hours: row.hours.map((value) => (value.trim() ? decimalOrTyped(value) : null)),
    project_id: row.project?.id ?? null,
    clock: clock.some(Boolean) ? clock : [],
    comment: text(row.comment),
    support_code: text(row.support_code),
    invoice_text: text(row.invoice_text),
  };
}

/** Hours as typed in a day's field ("7,5" or "7.5") as a number; null when empty or not a number. */
export function typedHours(value: string): number | null {
  const parsed = parseDecimal(value);
  return parsed === null ? null : Number(parsed);
}

/** Hours typed on the page added up in hundredths (integers, no float drift). */
export function sumHours(values: string[]): number {
  let hundredths = 0;
  for (const value of values) hundredths += Math.round((typedHours(value) ?? 0) * 100);
  return hundredths / 100;
}

/** The ISO week ("2026-W48") that a Monday belongs to. */
export function weekOf(monday: string): string {
  const [y, m, d] = monday.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  const thursday = new Date(date);
  thursday.setUTCDate(date.getUTCDate() + 3 - ((date.getUTCDay() + 6) % 7));
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() + 3 - ((firstThursday.getUTCDay() + 6) % 7));
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function shiftWeek(monday: string, weeks: number): string {
  return weekOf(addDays(monday, weeks * 7));
}

/** "48" from "2026-W48". */
export function weekNumber(week: string): number {
  return Number(week.slice(-2));
}
