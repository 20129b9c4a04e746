import type { CommandExecutor } from '../command-handling/command-executor';
import { notFound } from '../domain/domain-error';
import { evolveConference, initialConferenceState } from './conference';
import { conferenceStreamId } from './conference-stream';
import { conferencecallStreamId, evolveConferencecall, initialConferencecallState } from './conferencecall';

/**
 * With If-Match, the executor compares revisions before the decider sees the tenant, so an unknown or
 * foreign id would answer 412 (and a foreign one 404 only for a right guess). Checking visibility first
 * keeps "foreign = unknown = 404" whatever the headers. Costs one read, only when If-Match is sent.
 */
export async function ensureConferenceVisible(
  executor: CommandExecutor,
  conferenceId: string,
  customerId: string,
): Promise<void> {
  const { state } = await executor.load(
    { evolve: evolveConference, initialState: initialConferenceState },
    conferenceStreamId(conferenceId),
  );
  if (state === null || state.customerId !== customerId)
    throw notFound('conference.not_found', `Conference ${conferenceId} not found`, { conferenceId });
}

export async function ensureConferencecallVisible(
  executor: CommandExecutor,
  conferencecallId: string,
  customerId: string,
): Promise<void> {
  const { state } = await executor.load(
    { evolve: evolveConferencecall, initialState: initialConferencecallState },
    conferencecallStreamId(conferencecallId),
  );
  if (state === null || state.customerId !== customerId)
    throw notFound('conferencecall.not_found', `Conferencecall ${conferencecallId} not found`, {
      conferencecallId,
    });
}
