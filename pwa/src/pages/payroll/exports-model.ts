import type { Schema } from '../../api';

/** The payroll office's periods and export batches, as `/api/payroll/periods` and `/export-batches` answer. */

export type ExportBatch = Schema<'BatchView'>;
export type WaitingItem = Schema<'WaitingItem'>;
/**
 * `closing`: the close was asked for and its job is making the export (ask again for the outcome);
 * `closable`: open and past its cut-off; `close_problem`: why the last close was refused (each
 * employee's error listed), while the period is open again.
 */
export type PeriodView = Schema<'PeriodView'>;

/** A batch's files, downloaded with the session cookie (a plain link: the browser saves it). */
export function batchFile(batch: ExportBatch, format: 'paxml' | 'sie'): string {
  return `/api/payroll/export-batches/${batch.id}/${format}`;
}

/** One frozen transaction of a batch (`/export-batches/{id}/rows`): what an error report on an export row names. */
export type ExportRow = Schema<'ExportRowView'>;
export type ExportRows = Schema<'ExportRows'>;
