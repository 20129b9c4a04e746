import type { CallStatus, HangupReason } from '../../../src/calls/call';
import {
  SEED_CALL_STATUSES,
  type SeedCallStatus,
  seedCallStatus,
} from '../../../src/calls/seed-call-document/seed-call-status';

/**
 * The mapping table of VoIPBIN's status and hangup reason (seed 003) to seed 001's status, written out
 * here on its own so that a change to the mapping is a deliberate change to this test as well.
 */
const LIVE: [CallStatus, SeedCallStatus][] = [
  ['dialing', 'dialing'],
  ['ringing', 'dialing'],
  ['progressing', 'in_progress'],
  ['terminating', 'in_progress'],
  ['canceling', 'dialing'],
];
const HUNG_UP: [HangupReason, SeedCallStatus][] = [
  ['normal', 'completed'],
  ['timeout', 'completed'],
  ['failed', 'failed'],
  ['busy', 'no_answer'],
  ['cancel', 'no_answer'],
  ['noanswer', 'no_answer'],
  ['dialout', 'no_answer'],
  ['amd', 'no_answer'],
];

describe('seed 001 call status', () => {
  it.each(LIVE)('a %s call is %s', (status, expected) => {
    expect(seedCallStatus({ status, hangupReason: null, transferred: false })).toBe(expected);
  });

  it.each(HUNG_UP)('a call hung up with reason %s is %s', (hangupReason, expected) => {
    expect(seedCallStatus({ status: 'hangup', hangupReason, transferred: false })).toBe(expected);
  });

  it('a local hangup in progress keeps its live status whatever reason it will end with', () => {
    expect(seedCallStatus({ status: 'terminating', hangupReason: 'timeout', transferred: false })).toBe(
      'in_progress',
    );
    expect(seedCallStatus({ status: 'canceling', hangupReason: 'cancel', transferred: false })).toBe(
      'dialing',
    );
  });

  it('a transferred call is transferred, before and after its hangup', () => {
    expect(seedCallStatus({ status: 'progressing', hangupReason: null, transferred: true })).toBe(
      'transferred',
    );
    expect(seedCallStatus({ status: 'hangup', hangupReason: 'normal', transferred: true })).toBe(
      'transferred',
    );
  });

  it('the table covers every status and reason, and reaches every seed status', () => {
    const reached = new Set([
      ...LIVE.map(([, seed]) => seed),
      ...HUNG_UP.map(([, seed]) => seed),
      'transferred',
    ]);
    expect([...reached].sort()).toEqual([...SEED_CALL_STATUSES].sort());
    expect(LIVE.map(([status]) => status).sort()).toEqual(
      ['canceling', 'dialing', 'progressing', 'ringing', 'terminating'].sort(),
    );
    expect(HUNG_UP).toHaveLength(8);
  });
});
