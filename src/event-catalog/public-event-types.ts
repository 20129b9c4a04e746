/**
 * The public event catalogue: the names subscribers (SSE feed, webhooks) see. Stable and versioned, apart
 * from the internal domain events, which may be split, renamed or upcast without a subscriber noticing.
 * A breaking change of a type's `data` gets a new version (and, while both are served, a new type name);
 * adding a field is not breaking.
 */
export type PublicResource = 'call' | 'conference' | 'conferencecall' | 'number' | 'recording';

export interface PublicEventType {
  type: string;
  version: number;
  resource: PublicResource;
  description: string;
}

const call = (type: string, description: string): PublicEventType => ({
  type,
  version: 1,
  resource: 'call',
  description,
});
const conference = (type: string, description: string): PublicEventType => ({
  type,
  version: 1,
  resource: 'conference',
  description,
});
const participant = (type: string, description: string): PublicEventType => ({
  type,
  version: 1,
  resource: 'conferencecall',
  description,
});
const recording = (type: string, description: string): PublicEventType => ({
  type,
  version: 1,
  resource: 'recording',
  description,
});

const phoneNumber = (type: string, description: string): PublicEventType => ({
  type,
  version: 1,
  resource: 'number',
  description,
});

export const PUBLIC_EVENT_TYPES: readonly PublicEventType[] = [
  call(
    'call.created',
    'A call was made; an external media layer dials it (status `dialing`). Or one came in to a number ' +
      '(`direction: incoming`, `number_id` set): never dialled, `call.ringing` follows in the same append.',
  ),
  call('call.ringing', 'The destination is ringing.'),
  call('call.answered', 'The call was answered (status `progressing`).'),
  call('call.terminating', 'Hangup requested after answer; waiting for the media layer to confirm.'),
  call('call.canceling', 'Hangup requested before answer; waiting for the media layer to confirm.'),
  call(
    'call.hangup',
    'The call is over: the end-of-call report (`hangup_by`, `hangup_reason`, `duration`, `end_time`).',
  ),
  call('call.chained', 'Another call was chained to this one and hangs up with it.'),
  call(
    'call.updated',
    'The call joined or left a conference (`conference_id`), started or stopped recording (`recording_id`), or another field changed.',
  ),
  // Call control and AMD (`action`, `queued_actions`, `messages`, `transfer`, `amd` in the call).
  call('call.actions_queued', 'Actions were queued on the call (`queued_actions`); they run once answered.'),
  call('call.action_started', 'An action became the running one (`action`, `tm_execute`).'),
  call('call.action_finished', 'The running action ended (`action.status` done or failed).'),
  call(
    'call.message_added',
    'A turn was added to the conversation (`messages`): talk, context note or speech.',
  ),
  call('call.transferred', 'The transfer leg answered: the far end now talks to it (`transferred`).'),
  call(
    'call.transfer_failed',
    'The transfer leg did not answer (`transfer.failure_reason`); the call goes on.',
  ),
  call('call.amd_detected', 'The media layer told a human from a machine (`amd.result`).'),
  conference('conference.created', 'A conference was created.'),
  conference(
    'conference.updated',
    'Name, detail, timeout, size limit, participants or the running recording (`recording_id`) changed.',
  ),
  conference('conference.terminating', 'The conference is ending; its participants are being kicked.'),
  conference('conference.terminated', 'The conference ended (`end_reason`).'),
  participant('conferencecall.joining', 'A call started joining a conference.'),
  participant('conferencecall.joined', 'The call is in the conference bridge.'),
  participant('conferencecall.leaving', 'The call is being taken out of the conference.'),
  participant('conferencecall.leaved', 'The call is out of the conference (or never got in).'),
  phoneNumber('number.created', 'A phone number was registered (`phone_number`, `on_incoming`).'),
  phoneNumber('number.updated', 'What happens to calls to the number changed.'),
  phoneNumber('number.deleted', 'The number was released; `data` is the number as it last was.'),
  recording(
    'recording.started',
    'A call or conference started recording (`reference_type`, `reference_id`).',
  ),
  recording('recording.stopping', 'The recording was asked to stop (`stop_reason`); the file follows.'),
  recording('recording.finished', 'The audio file is ready at `url` (`duration`, `tm_end`).'),
];

const BY_TYPE = new Map(PUBLIC_EVENT_TYPES.map((entry) => [entry.type, entry]));

/** The public types of one resource, in catalogue order (a status callback sends the call's own). */
export function eventTypesOf(resource: PublicResource): string[] {
  return PUBLIC_EVENT_TYPES.filter((t) => t.resource === resource).map((t) => t.type);
}

export function publicEventType(type: string): PublicEventType | undefined {
  return BY_TYPE.get(type);
}

/**
 * A subscriber's type filter: exact names and `prefix.*` patterns, e.g. `call.*,conference.terminated`.
 * Returns the names that do not match any catalogued type, so callers can refuse them (400).
 */
export function unknownTypePatterns(patterns: readonly string[]): string[] {
  return patterns.filter((pattern) => !PUBLIC_EVENT_TYPES.some((entry) => matchesType(pattern, entry.type)));
}

export function matchesType(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function matchesAnyType(patterns: readonly string[] | null, type: string): boolean {
  return patterns === null || patterns.some((pattern) => matchesType(pattern, type));
}
