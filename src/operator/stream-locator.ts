import { type AuditTrail, EVERY_TENANT } from '../audit/audit-trail';
import { CALL_STREAM_PREFIX } from '../calls/call-stream';
import { CONFERENCE_STREAM_PREFIX } from '../conferences/conference-stream';
import { CONFERENCECALL_STREAM_PREFIX } from '../conferences/conferencecall';
import type { RecordedEvent } from '../event-store/event-store';
import { customerStreamId } from '../tenants/customer';

/** Every stream type an operator may name by the bare id of its aggregate. */
const STREAM_PREFIXES = [
  CALL_STREAM_PREFIX,
  CONFERENCE_STREAM_PREFIX,
  CONFERENCECALL_STREAM_PREFIX,
  customerStreamId(''),
];

/**
 * The stream an operator means: a stream name as given (`call-<id>`), or the stream of a call, conference,
 * conferencecall or customer with that id. Null when none exists. Ids are UUIDs, so at most one matches.
 */
export async function locateStream(
  audit: AuditTrail,
  streamOrId: string,
): Promise<{ streamId: string; events: RecordedEvent[] } | null> {
  const candidates = STREAM_PREFIXES.some((prefix) => streamOrId.startsWith(prefix))
    ? [streamOrId]
    : [streamOrId, ...STREAM_PREFIXES.map((prefix) => `${prefix}${streamOrId}`)];
  for (const streamId of candidates) {
    const events = await audit.read(streamId, EVERY_TENANT);
    if (events) return { streamId, events };
  }
  return null;
}
