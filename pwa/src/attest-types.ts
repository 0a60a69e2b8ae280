/**
 * What every item sent for attest carries as the API shows it (backend/attest/schemas.py): its
 * state, the attest it is in, and who did what to it. Shared by expenses, time, leave, travel
 * and the attest screens.
 */
import type { Schema } from './api';

/** The states of anything sent for attest (the backend's one ItemState, as every view carries it). */
export type ItemState = Schema<'WeekSummary'>['state'];
export type PersonRef = Schema<'PersonRef'>;
/** `item_id`: the attest item, which an error report about the item names. */
export type AttestView = Schema<'AttestView'>;
export type HistoryEntry = Schema<'HistoryEntry'>;
