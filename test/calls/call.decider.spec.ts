import type { CallEvent, CallStatus } from '../../src/calls/call';
import { type CallCommand, callDecider } from '../../src/calls/call.decider';
import { callIdFromStream, callStreamId } from '../../src/calls/call-stream';
import { fold } from '../../src/domain/decider';
import { DomainError } from '../../src/domain/domain-error';
import { spec } from '../support/decider-spec';
import {
  asCustomer,
  assign,
  CALL_ID,
  chain,
  expire,
  hangup,
  historyIn,
  makeCall,
  OTHER_CUSTOMER,
  release,
  signal,
} from './call-fixtures';

/** What a command does to a call in a given status, summarised: `-`, `!code`, or `Event → status`. */
function outcome(history: CallEvent[], command: CallCommand): string {
  const state = fold(callDecider, history);
  try {
    const events = callDecider.decide(command, state);
    if (events.length === 0) return '-';
    const after = events.reduce(callDecider.evolve, state);
    return `${events.map((event) => event.type).join('+')} → ${after.status}`;
  } catch (error) {
    if (error instanceof DomainError) return `!${error.code}`;
    throw error;
  }
}

const commands: Record<string, CallCommand> = {
  'signal ringing': signal('ringing'),
  'signal answered': signal('answered'),
  'signal busy': signal('busy'),
  'signal no_answer': signal('no_answer'),
  'signal rejected': signal('rejected'),
  'signal failed': signal('failed'),
  'signal hangup': signal('hangup'),
  HangupCall: hangup(),
  ExpireDialTimeout: expire('ExpireDialTimeout'),
  ExpireMaxDuration: expire('ExpireMaxDuration'),
  ExpireHangupConfirmation: expire('ExpireHangupConfirmation'),
  AssignConference: assign(),
  'ReleaseConference (not a member)': release(),
  ChainCall: chain(),
  'MakeCall (other request, same id)': makeCall({ type: 'video' }),
};

const HUNG_UP = 'CallHungUp → hangup';
const CANCELING = 'CallHangupRequested → canceling';
const TERMINATING = 'CallHangupRequested → terminating';
const CONTRADICTION = '!call.invalid_transition';
const EXISTS = '!call.already_exists';

/** Every status × every command. Rows follow the `commands` order above. */
// biome-ignore format: the matrix reads as a table
const matrix: Record<CallStatus | 'none', string[]> = {
  none: [...Array(14).fill('!call.not_found'), 'CallCreated → dialing'],
  dialing: [
    'CallRinging → ringing', 'CallAnswered → progressing', HUNG_UP, HUNG_UP, HUNG_UP, HUNG_UP, HUNG_UP,
    CANCELING, CANCELING, '-', '-', '!call.not_answered', '-', 'CallChained → dialing', EXISTS,
  ],
  ringing: [
    '-', 'CallAnswered → progressing', HUNG_UP, HUNG_UP, HUNG_UP, HUNG_UP, HUNG_UP,
    CANCELING, CANCELING, '-', '-', '!call.not_answered', '-', 'CallChained → ringing', EXISTS,
  ],
  progressing: [
    '-', '-', CONTRADICTION, CONTRADICTION, CONTRADICTION, HUNG_UP, HUNG_UP,
    TERMINATING, '-', TERMINATING, '-', 'CallAssignedToConference → progressing', '-',
    'CallChained → progressing', EXISTS,
  ],
  terminating: [
    '-', '-', CONTRADICTION, CONTRADICTION, CONTRADICTION, HUNG_UP, HUNG_UP,
    '-', '-', '-', HUNG_UP, '!call.ending', '-', '!call.master_ending', EXISTS,
  ],
  canceling: [
    '-', '-', HUNG_UP, HUNG_UP, HUNG_UP, HUNG_UP, HUNG_UP,
    '-', '-', '-', HUNG_UP, '!call.ending', '-', '!call.master_ending', EXISTS,
  ],
  hangup: [
    CONTRADICTION, CONTRADICTION, CONTRADICTION, CONTRADICTION, CONTRADICTION, CONTRADICTION, '-',
    '-', '-', '-', '-', '!call.ending', '-', '!call.master_ending', EXISTS,
  ],
};

describe('call decider: every status × every command', () => {
  const names = Object.keys(commands);
  const statuses = Object.keys(matrix) as (CallStatus | 'none')[];
  const cases = statuses.flatMap((status) =>
    names.map((name, i) => [status, name, matrix[status][i]] as const),
  );

  it('has one expectation per command in every row', () => {
    for (const status of statuses) expect(matrix[status]).toHaveLength(names.length);
  });

  it.each(cases)('%s + %s → %s', (status, name, expected) => {
    expect(outcome(historyIn[status], commands[name])).toBe(expected);
  });
});

describe('call decider: tenant isolation', () => {
  // A foreign call must be indistinguishable from an unknown one, for every command but MakeCall.
  const nonCreating = Object.entries(commands).filter(([name]) => !name.startsWith('MakeCall'));

  it.each(nonCreating)(
    '%s from another tenant is call.not_found, exactly as for an unknown call',
    (_, command) => {
      const foreign = asCustomer(OTHER_CUSTOMER, command);
      spec(callDecider)
        .given(historyIn.progressing)
        .when(foreign)
        .thenRejects('call.not_found', { callId: CALL_ID });
      spec(callDecider).given([]).when(command).thenRejects('call.not_found', { callId: CALL_ID });
    },
  );

  it('the foreign and the unknown refusal carry the same message and details', () => {
    const refusal = (history: CallEvent[], command: CallCommand) => {
      try {
        callDecider.decide(command, fold(callDecider, history));
      } catch (error) {
        return { ...(error as DomainError), message: (error as DomainError).message };
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(historyIn.hangup, asCustomer(OTHER_CUSTOMER, hangup()))).toEqual(refusal([], hangup()));
  });
});

describe('call streams', () => {
  it('are named call-<id> so that the $ce-call category groups them', () => {
    expect(callStreamId(CALL_ID)).toBe(`call-${CALL_ID}`);
    expect(callIdFromStream(`call-${CALL_ID}`)).toBe(CALL_ID);
    expect(callIdFromStream(`conference-${CALL_ID}`)).toBeNull();
  });
});
