/** Error report cases (felanmälan) as the API sends them (`backend/cases/schemas.py`). */

export type CaseStatus = 'new' | 'in_progress' | 'answered' | 'closed';
export type SubjectKind = 'payslip_line' | 'item' | 'export_row' | 'other';

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

export interface PersonName {
  id: string;
  name: string;
}

export interface CaseSummary {
  id: string;
  title: string;
  subject_kind: SubjectKind;
  status: CaseStatus;
  status_name: string;
  reporter: PersonName;
  owner: PersonName | null;
  due_date: string;
  overdue: boolean;
  created_at: string;
  last_activity_at: string;
}

export interface TimelineEntry {
  sequence: number;
  at: string;
  kind: 'report' | 'message' | 'answer' | 'return' | 'created' | 'status' | 'owner' | 'due_date';
  actor: string | null;
  from_payroll: boolean;
  text: string;
}

export interface CaseView extends CaseSummary {
  subject: {
    kind: SubjectKind;
    label: string;
    payslip_period: string | null;
    pay_run_id: string | null;
    item_id: string | null;
    item_kind: string | null;
    item_subject_id: string | null;
    item_state: string | null;
    export_batch_id: string | null;
    export_row: number | null;
  };
  attachment: { url: string; content_type: string; size_bytes: number; filename: string | null } | null;
  timeline: TimelineEntry[];
  can_reply: boolean;
  can_manage: boolean;
  can_return_item: boolean;
}

export interface CaseList {
  items: CaseSummary[];
  total: number;
  limit: number;
  offset: number;
}

export const STATUSES: CaseStatus[] = ['new', 'in_progress', 'answered', 'closed'];

/** Messages are the conversation; the other entries are what happened to the case. */
export function isMessage(entry: TimelineEntry): boolean {
  return entry.kind === 'report' || entry.kind === 'message' || entry.kind === 'answer' || entry.kind === 'return';
}
