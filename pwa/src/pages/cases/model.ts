/** Error report cases (felanmälan) as the API sends them (`backend/cases/schemas.py`). */
import type { Schema } from '../../api';

export type CaseStatus = Schema<'CaseSummary'>['status'];
export type SubjectKind = Schema<'CaseSummary'>['subject_kind'];

/** What a "Felanmäl" button reports on: the kind and the references it needs. */
export interface CaseSubject {
  subject_kind: SubjectKind;
  payslip_period?: string;
  pay_run_id?: string | null;
  line_key?: string;
  line_text?: string;
  item_id?: string;
  item_subject_id?: string;
  export_batch_id?: string;
  export_row?: number;
}

export type PersonName = Schema<'PersonName'>;
export type CaseSummary = Schema<'CaseSummary'>;
export type TimelineEntry = Schema<'TimelineEntry'>;
export type CaseView = Schema<'CaseView'>;
export type CaseList = Schema<'CaseList'>;

export const STATUSES: CaseStatus[] = ['new', 'in_progress', 'answered', 'closed'];

/** Messages are the conversation; the other entries are what happened to the case. */
export function isMessage(entry: TimelineEntry): boolean {
  return entry.kind === 'report' || entry.kind === 'message' || entry.kind === 'answer' || entry.kind === 'return';
}
