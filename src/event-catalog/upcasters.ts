import type { JsonObject, RecordedEvent } from '../event-store/event-store';

/**
 * Upcasters turn an event stored in an older shape into the current one on read, so the catalogue's
 * consumers (feed, webhooks, the folded views they carry) see one shape per internal type whatever year
 * the event was written. Each one recognises its old shape by the data alone (no version column is
 * stored) and must be exact: when the old event lacks what the new field means, the default must be what
 * the old release meant, not a guess. Chains apply in order, so a v0 passes through v1 on its way.
 */
interface Upcaster {
  type: string;
  /** What changed, for the reader of this table. */
  change: string;
  isOldShape(data: JsonObject): boolean;
  upcast(data: JsonObject): JsonObject;
}

const UPCASTERS: readonly Upcaster[] = [
  {
    type: 'ConferenceCreated',
    change:
      'the conference type was stored as `type`; renamed `conferenceType` (it clashed with the event type)',
    isOldShape: (data) => !('conferenceType' in data) && typeof data.type === 'string',
    upcast: ({ type, ...rest }) => ({ ...rest, conferenceType: type as string }),
  },
  {
    type: 'CallCreated',
    change: 'calls had no client `metadata`; it is `{}` for them',
    isOldShape: (data) => !('metadata' in data),
    upcast: (data) => ({ ...data, metadata: {} }),
  },
  {
    type: 'CallCreated',
    change: 'calls named no `agentId` or `phoneId` (seed 001); both are null for them',
    isOldShape: (data) => !('agentId' in data) || !('phoneId' in data),
    upcast: (data) => ({ ...data, agentId: data.agentId ?? null, phoneId: data.phoneId ?? null }),
  },
  {
    type: 'CallHangupRequested',
    change: 'a client could not give its own `endTime`; it is null for those requests',
    isOldShape: (data) => !('endTime' in data),
    upcast: (data) => ({ ...data, endTime: null }),
  },
];

/** The event with its data in the current shape; the same object when nothing applies. */
export function upcast(event: RecordedEvent): RecordedEvent {
  let data = event.data;
  for (const upcaster of UPCASTERS) {
    if (upcaster.type === event.type && upcaster.isOldShape(data)) data = upcaster.upcast(data);
  }
  if (data === event.data) return event;
  // Field by field, not `{ ...event, data }`: the SQLite store decodes lazily, and its events' `metadata`
  // and `created` are getters that a spread does not copy.
  const { streamId, revision, position, id, type, metadata, created } = event;
  return { streamId, revision, position, id, type, data, metadata, created };
}
