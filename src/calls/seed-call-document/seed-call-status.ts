import type { CallStatus, HangupReason } from '../call';

/** Seed 001's call status enum. */
export type SeedCallStatus = 'dialing' | 'in_progress' | 'completed' | 'failed' | 'transferred' | 'no_answer';
export const SEED_CALL_STATUSES: readonly SeedCallStatus[] = [
  'dialing',
  'in_progress',
  'completed',
  'failed',
  'transferred',
  'no_answer',
];

/**
 * VoIPBIN's lifecycle (seed 003) in seed 001's words. Seed 001 has no `ringing`, `terminating` or
 * `canceling`: a call not yet answered is still `dialing` (also while we cancel it), an answered call is
 * `in_progress` until its hangup is confirmed. Only `hangup` needs the reason.
 */
export const SEED_STATUS_OF_LIVE_CALL: Record<Exclude<CallStatus, 'hangup'>, SeedCallStatus> = {
  dialing: 'dialing',
  ringing: 'dialing',
  progressing: 'in_progress',
  terminating: 'in_progress',
  canceling: 'dialing',
};

/**
 * A hung-up call by its hangup reason. `normal` and `timeout` (max duration) only happen after an answer: a
 * conversation took place, `completed`. Nobody took the call for `noanswer`, `dialout` (our dial timeout),
 * `busy` (reached, but on another line or declined), `cancel` (given up before an answer) and `amd` (a
 * machine answered, no person): `no_answer`. `failed` (the attempt never reached the phone network) is
 * `failed`.
 */
export const SEED_STATUS_OF_HANGUP: Record<HangupReason, SeedCallStatus> = {
  normal: 'completed',
  timeout: 'completed',
  noanswer: 'no_answer',
  dialout: 'no_answer',
  busy: 'no_answer',
  cancel: 'no_answer',
  amd: 'no_answer',
  failed: 'failed',
};

export type SeedStatusInput = {
  status: CallStatus;
  hangupReason: HangupReason | null;
  /**
   * The call's far end was handed to a transfer destination that answered. Transfers are built apart
   * (issue 12 §1); until the call records one, callers pass `false`.
   */
  transferred: boolean;
};

export function seedCallStatus({ status, hangupReason, transferred }: SeedStatusInput): SeedCallStatus {
  if (transferred) return 'transferred';
  if (status !== 'hangup') return SEED_STATUS_OF_LIVE_CALL[status];
  // A hangup always records its reason; an old state without one ended before any answer was known.
  return hangupReason === null ? 'failed' : SEED_STATUS_OF_HANGUP[hangupReason];
}

/** Seed 001's `type` is the direction. */
export const SEED_CALL_TYPE = { outgoing: 'outbound', incoming: 'inbound' } as const;
