import { callTimerSource } from '../../src/calls/call-process/call-timer-source';
import type { ConferenceCommand } from '../../src/conferences/conference.decider';
import { conferenceTimerSource } from '../../src/conferences/conference-timers/conference-timer-source';
import type { DomainEvent } from '../../src/domain/decider';
import type { TimerSource } from '../../src/timers/timer-source';
import { answered, created, hangupRequested, hungUp, rang } from '../calls/call-fixtures';

/** A conference's events as its decider decides them for `commands`, in order. */
function conferenceLife(commands: ConferenceCommand[]): DomainEvent[] {
  const { decider } = conferenceTimerSource;
  let state = decider.initialState;
  const events: DomainEvent[] = [];
  for (const command of commands)
    for (const event of decider.decide(command, state)) {
      state = decider.evolve(state, event);
      events.push(event);
    }
  return events;
}

const ref = (seconds: number) => ({
  conferenceId: '00000000-0000-7000-8000-0000000000f1',
  customerId: 'customer-a',
  at: new Date(Date.UTC(2026, 0, 1) + seconds * 1_000).toISOString(),
});

const LIVES: Array<[string, TimerSource, DomainEvent[]]> = [
  [
    'a call answered and hung up',
    callTimerSource,
    [created(), rang(), answered(), hangupRequested('terminating', 'normal'), hungUp()],
  ],
  ['a call hung up while dialing', callTimerSource, [created(), hungUp()]],
  ['a call with an event after its hangup', callTimerSource, [created(), rang(), hungUp(), rang('sig-late')]],
  [
    'a conference with a timeout, stopped',
    conferenceTimerSource,
    conferenceLife([
      { type: 'CreateConference', data: { ...ref(0), conferenceType: 'conference', timeout: 600 } },
      { type: 'StopConference', data: ref(10) },
    ]),
  ],
  [
    'a conference whose participant left before it was stopped',
    conferenceTimerSource,
    conferenceLife([
      { type: 'CreateConference', data: { ...ref(0), conferenceType: 'conference' } },
      { type: 'AdmitParticipant', data: { ...ref(1), conferencecallId: 'cc-1', callId: 'call-1' } },
      { type: 'RemoveParticipant', data: { ...ref(2), conferencecallId: 'cc-1' } },
      { type: 'StopConference', data: ref(3) },
    ]),
  ],
];

describe('timer sources: the lifespan shortcut agrees with evolve and finished', () => {
  // The projection stops folding a stream once `finished` (later events only move its revision), so the
  // shortcut's claim is: folded from its creation, the stream is finished at its first end event.
  it.each(LIVES)('%s: finished at the end event, as the fold says', (_name, source, events) => {
    const lifespan = source.lifespan!;
    expect(events[0].type).toBe(lifespan.created);
    const end = events.findIndex((event) => event.type === lifespan.ended);
    expect(end).toBeGreaterThan(0);
    const state = events.slice(0, end + 1).reduce(source.decider.evolve, source.decider.initialState);
    expect(source.finished!(state)).toBe(true);
  });
});
