/** Leave requests and vacation days as the API shows them (backend/leave/schemas.py). */
import type { Schema } from '../../api';

export type LeaveKind = Schema<'LeaveRequestIn'>['kind'];
export const LEAVE_KINDS = ['vacation', 'parental_leave', 'unpaid_leave'] as const satisfies readonly LeaveKind[];

export type VacationBalance = Schema<'VacationBalanceView'>;
export type LeaveRequestView = Schema<'LeaveRequestView'>;
export type LeaveRequestIn = Schema<'LeaveRequestIn'>;
