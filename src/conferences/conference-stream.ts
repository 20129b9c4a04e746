/**
 * Stream ids of the conference aggregate: `conference-<id>`. EventStoreDB's category is the part before the
 * first dash, so `$ce-conference` holds conferences only; participants live in `conferencecall-<id>`, which
 * a `conference-` prefix filter does not match either.
 */
export const CONFERENCE_STREAM_PREFIX = 'conference-';

export const conferenceStreamId = (conferenceId: string): string =>
  `${CONFERENCE_STREAM_PREFIX}${conferenceId}`;

/** The conference id of a stream id, or null when the stream is not a conference's. */
export function conferenceIdFromStream(streamId: string): string | null {
  return streamId.startsWith(CONFERENCE_STREAM_PREFIX)
    ? streamId.slice(CONFERENCE_STREAM_PREFIX.length)
    : null;
}
