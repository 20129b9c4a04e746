/** Call streams are `call-<id>` so that an EventStoreDB category projection (`$ce-call`) groups them. */
export const CALL_STREAM_PREFIX = 'call-';

export function callStreamId(callId: string): string {
  return `${CALL_STREAM_PREFIX}${callId}`;
}

/** The call id of a call stream, or null for any other stream. */
export function callIdFromStream(streamId: string): string | null {
  return streamId.startsWith(CALL_STREAM_PREFIX) ? streamId.slice(CALL_STREAM_PREFIX.length) : null;
}
