import { AsyncLocalStorage } from 'node:async_hooks';
import { CALL_STREAM_PREFIX } from '../calls/call-stream';
import { CONFERENCE_STREAM_PREFIX } from '../conferences/conference-stream';
import { CONFERENCECALL_STREAM_PREFIX } from '../conferences/conferencecall';

/**
 * Fields every log line written inside a unit of work carries (a reaction to an event, a due timer): the
 * root logger's `mixin` adds them, so a warning deep inside a reactor, a media gateway or a command names
 * the call, conference and correlation it is about without each call site repeating them.
 */
export type LogFields = Readonly<Record<string, string | number | null>>;

const context = new AsyncLocalStorage<LogFields>();
const NONE: LogFields = Object.freeze({});

/** Runs `work` with `fields` added to (and overriding) the fields of the surrounding unit of work. */
export function withLogContext<T>(fields: LogFields, work: () => T): T {
  const outer = context.getStore();
  return context.run(outer ? { ...outer, ...fields } : fields, work);
}

/** The fields of the unit of work running now (the root logger's mixin); the same empty object outside one. */
export function currentLogFields(): LogFields {
  return context.getStore() ?? NONE;
}

/** Which id a stream names (the prefixes are disjoint: `conferencecall-x` does not start with `conference-`). */
const ID_FIELD_OF_PREFIX: readonly (readonly [string, string])[] = [
  [CONFERENCECALL_STREAM_PREFIX, 'conferencecall_id'],
  [CONFERENCE_STREAM_PREFIX, 'conference_id'],
  [CALL_STREAM_PREFIX, 'call_id'],
];
const ID_FIELD_OF_KEY: Readonly<Record<string, string>> = {
  callId: 'call_id',
  conferenceId: 'conference_id',
  conferencecallId: 'conferencecall_id',
};

/**
 * `call_id` / `conference_id` / `conferencecall_id` of a stream (`call-<id>` names a call) and of a
 * command's or event's data (a join names its conference and call too). The stream's own id wins.
 */
export function entityIdsOf(streamId: string, data: unknown): Record<string, string> {
  const ids: Record<string, string> = {};
  if (typeof data === 'object' && data !== null) {
    for (const [key, field] of Object.entries(ID_FIELD_OF_KEY)) {
      const value = (data as Record<string, unknown>)[key];
      if (typeof value === 'string') ids[field] = value;
    }
    // A participant names its call as a reference (seed 004: `reference_type` call).
    const { referenceType, referenceId } = data as Record<string, unknown>;
    if (referenceType === 'call' && typeof referenceId === 'string') ids.call_id ??= referenceId;
  }
  const own = ID_FIELD_OF_PREFIX.find(([prefix]) => streamId.startsWith(prefix));
  if (own) ids[own[1]] = streamId.slice(own[0].length);
  return ids;
}
