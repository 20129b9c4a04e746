import { isDeepStrictEqual } from 'node:util';
import type { TestingModule } from '@nestjs/testing';
import { isCall } from '../../src/calls/call';
import { CommandExecutor } from '../../src/command-handling/command-executor';
import { conferenceStreamId } from '../../src/conferences/conference-stream';
import { conferencecallViewOf, conferenceViewOf } from '../../src/conferences/conference-view';
import { conferencecallStreamId } from '../../src/conferences/conferencecall';
import { ConferencecallsQueries } from '../../src/conferences/conferences-read-model/conferencecalls.queries';
import { ConferencesQueries } from '../../src/conferences/conferences-read-model/conferences.queries';
import type { Snapshot } from './conference-world';

/** What must hold after every step, even with sagas still in flight. Returns the violations. */
export function alwaysViolations(s: Snapshot): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [conferenceId, conference] of s.conferences) {
    if (conference === null) continue;
    for (const p of conference.participants) {
      const other = seen.get(p.callId);
      if (other && other !== conferenceId)
        problems.push(`call ${p.callId} in conferences ${other} and ${conferenceId}`);
      seen.set(p.callId, conferenceId);
      const call = s.calls.get(p.callId);
      // Listed in a conference: the call names this very participation, unless it has hung up since
      // (its hangup saga has not run yet).
      const consistent =
        call !== undefined &&
        isCall(call) &&
        (call.status === 'hangup' ||
          (call.conference?.conferenceId === conferenceId &&
            call.conference.conferencecallId === p.conferencecallId));
      if (!consistent)
        problems.push(`conference ${conferenceId} lists ${p.conferencecallId}, its call disagrees`);
    }
  }
  for (const [id, participant] of s.participants) {
    if (participant?.status !== 'joined') continue;
    if (s.conferences.get(participant.conferenceId)?.status === 'terminated')
      problems.push(`participant ${id} joined in terminated conference ${participant.conferenceId}`);
  }
  return problems;
}

/** What must hold once the sagas and timers have settled. */
export function settledViolations(s: Snapshot): string[] {
  const problems = alwaysViolations(s);
  for (const [id, participant] of s.participants) {
    if (participant === null) continue;
    const call = s.calls.get(participant.referenceId);
    if (call && isCall(call) && call.status === 'hangup' && participant.status !== 'leaved')
      problems.push(`participant ${id} of hung-up call is ${participant.status}`);
    const listed = s.conferences
      .get(participant.conferenceId)
      ?.participants.some((p) => p.conferencecallId === id);
    if (participant.status === 'leaved' && listed) problems.push(`leaved participant ${id} still listed`);
  }
  for (const [id, conference] of s.conferences)
    if (conference?.status === 'terminating') problems.push(`conference ${id} stuck terminating`);
  for (const [id, call] of s.calls) {
    if (!isCall(call) || call.conference === null) continue;
    const { conferenceId, conferencecallId } = call.conference;
    const listed = s.conferences
      .get(conferenceId)
      ?.participants.some((p) => p.conferencecallId === conferencecallId);
    if (!listed)
      problems.push(`call ${id} assigned to ${conferencecallId}, which its conference does not list`);
  }
  return problems;
}

/** The read models equal the aggregates folded from the store (what a fresh replay would build). */
export async function readModelViolations(moduleRef: TestingModule, s: Snapshot): Promise<string[]> {
  const problems: string[] = [];
  const executor = moduleRef.get(CommandExecutor);
  const conferences = moduleRef.get(ConferencesQueries);
  const participants = moduleRef.get(ConferencecallsQueries);
  for (const [id, state] of s.conferences) {
    if (state === null) continue;
    const { revision } = await executor.load(
      { evolve: (x) => x, initialState: null },
      conferenceStreamId(id),
    );
    const expected = conferenceViewOf(state, revision!);
    const actual = conferences.conference(state.customerId, id);
    if (!isDeepStrictEqual(actual, expected)) problems.push(`conference ${id} read model differs`);
  }
  for (const [id, state] of s.participants) {
    if (state === null) continue;
    const { state: aborted, revision } = await executor.load(
      {
        evolve: (seen: boolean, e: { type: string }) => seen || e.type === 'ConferencecallJoinAborted',
        initialState: false,
      },
      conferencecallStreamId(id),
    );
    // A refused join is no participant: the API never showed its id, so no query lists it.
    const expected = aborted ? null : conferencecallViewOf(state, revision!);
    const actual = participants.conferencecall(state.customerId, id);
    if (!isDeepStrictEqual(actual, expected)) problems.push(`conferencecall ${id} read model differs`);
  }
  return problems;
}
