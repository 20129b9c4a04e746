import { ApiProperty } from '@nestjs/swagger';
import type { JsonObject } from '../event-store/event-store';
import { recordingFileUrl } from '../recordings/recording';
import type { Call, CallAddress } from './call';
import { CallControlFields, callControlView } from './call-control-view';
import { CallContactView, contactOf, localPartyOf, phoneNumberOf, remotePartyOf } from './call-parties';

/**
 * The call as the API shows it: one object in which every seed's vocabulary is a view of the same state,
 * so clients of seed 000 (`call_id`, `start_time`, `end_time`), seed 001 (`id`, `duration`, `end_reason`,
 * `created_date`) and VoIPBIN (seed 003: `source`, `status`, `tm_*`, `hangup_*`) all find their fields.
 * Each field is documented once here; `callView` is the only function that renders a call.
 *
 * `type` means seed 000's voice|video (its POST body is accepted verbatim). VoIPBIN's `type`
 * (flow|conference|sip-service) is not modelled, and seed 001's inbound|outbound is `direction`.
 * Absent ids are `null`, not VoIPBIN's all-zero UUID.
 */
export class CallAddressView {
  @ApiProperty({ enum: ['tel', 'sip', 'agent', 'extension'], description: 'Kind of address.' })
  type!: CallAddress['type'];
  @ApiProperty({ example: '+821021656521', description: 'Number, SIP URI, agent or extension id.' })
  target!: string;
  @ApiProperty({ example: '', description: 'Display name of the target; empty when unknown.' })
  target_name!: string;
  @ApiProperty({ example: '', description: 'Name of the address; empty when unknown.' })
  name!: string;
  @ApiProperty({ example: '', description: 'Free detail; empty when unknown.' })
  detail!: string;
}

const TIME = { type: String, format: 'date-time', example: '2023-08-21T08:00:00.000Z' } as const;
const NULLABLE_TIME = { ...TIME, nullable: true } as const;
const ID = { type: String, format: 'uuid', example: '0190a5e2-7c1a-7000-8000-000000000001' } as const;

/** Call control's fields (`action`, `messages`, `transfer`, `amd`...) come from `CallControlFields`. */
export class CallView extends CallControlFields {
  @ApiProperty({ ...ID, description: 'The call id (seed 001, 003).' })
  id!: string;
  @ApiProperty({ ...ID, description: 'Same as `id` (seed 000).' })
  call_id!: string;
  @ApiProperty({ ...ID, description: 'The tenant owning the call.' })
  customer_id!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'siap3943',
    description: 'Platform user who placed the call.',
  })
  user_id!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'jj084',
    description: 'User id of the contact called (seed 000).',
  })
  contact_id!: string | null;
  @ApiProperty({ enum: ['voice', 'video'], description: 'Media of the call (seed 000).' })
  type!: Call['type'];
  @ApiProperty({
    enum: ['outgoing', 'incoming'],
    description: 'Direction (seed 003; seed 001 calls it type).',
  })
  direction!: Call['direction'];
  @ApiProperty({
    enum: ['dialing', 'ringing', 'progressing', 'terminating', 'canceling', 'hangup'],
    description: 'Lifecycle status (seed 003). `hangup` is final.',
  })
  status!: Call['status'];
  @ApiProperty({ type: CallAddressView, nullable: true, description: 'Calling address; null when unknown.' })
  source!: CallAddressView | null;
  @ApiProperty({
    type: CallAddressView,
    description: 'Called address; `agent` <contact_id> when only that was given.',
  })
  destination!: CallAddressView;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Client metadata, as given.' })
  metadata!: JsonObject;
  @ApiProperty({ ...ID, nullable: true, description: 'Master call: this call hangs up with it.' })
  master_call_id!: string | null;
  @ApiProperty({ type: [String], description: 'Calls that hang up when this one does.' })
  chained_call_ids!: string[];
  @ApiProperty({ ...ID, nullable: true, description: 'Conference the call is in, if any.' })
  conference_id!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The recording running now (seed 003); null when none.',
  })
  recording_id!: string | null;
  @ApiProperty({ type: [String], description: 'All recordings of the call.' })
  recording_ids!: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The latest recording's audio (seed 001): `/v1/recordings/<id>/file`, served once it is finished; null while never recorded.",
  })
  recording_url!: string | null;
  @ApiProperty({ enum: ['local', 'remote'], nullable: true, description: 'Which end hung up first.' })
  hangup_by!: Call['hangupBy'];
  @ApiProperty({
    enum: ['normal', 'failed', 'busy', 'cancel', 'timeout', 'noanswer', 'dialout', 'amd'],
    nullable: true,
    description: 'Why the call ends (seed 003), set as soon as the end is decided.',
  })
  hangup_reason!: Call['hangupReason'];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Same as `hangup_reason`, but only once ended (seed 001).',
  })
  end_reason!: Call['hangupReason'];
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'NORMAL_CLEARING',
    description: "The media layer's own cause.",
  })
  raw_cause!: string | null;
  @ApiProperty({ ...TIME, description: 'When the call started: its creation (seed 000).' })
  start_time!: string;
  @ApiProperty({
    ...NULLABLE_TIME,
    description: 'When it ended: the client’s end_time if given, else the hangup.',
  })
  end_time!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 123,
    description: 'Talk time in seconds; null until ended.',
  })
  duration!: number | null;
  @ApiProperty({ ...TIME, description: 'Creation time (seed 001).' })
  created_date!: string;
  @ApiProperty({ ...TIME, description: 'Creation time (seed 003).' })
  tm_create!: string;
  @ApiProperty({ ...TIME, description: 'Last change.' })
  tm_update!: string;
  @ApiProperty({ ...NULLABLE_TIME, description: 'When the destination started ringing.' })
  tm_ringing!: string | null;
  @ApiProperty({ ...NULLABLE_TIME, description: 'When it answered.' })
  tm_progressing!: string | null;
  @ApiProperty({ ...NULLABLE_TIME, description: 'When the call was hung up.' })
  tm_hangup!: string | null;
  @ApiProperty({ type: Number, example: 60, description: 'Dial timeout in seconds (then `dialout`).' })
  dial_timeout!: number;
  @ApiProperty({ type: Number, example: 3600, description: 'Maximum talk time in seconds (then `timeout`).' })
  max_duration!: number;
  // --- Per-call status callback (src/webhooks/call-callbacks) ---
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'URL receiving this call’s events; null if none.',
  })
  status_callback!: string | null;
  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['call.*'],
    description: 'Event types sent to status_callback; null without one.',
  })
  status_callback_events!: string[] | null;
  @ApiProperty({ type: String, example: '3', description: 'Stream revision: the ETag, for If-Match.' })
  revision!: string;
  // --- inbound calls (numbers) -------------------------------------------------------------------------
  @ApiProperty({
    ...ID,
    nullable: true,
    description: 'For an incoming call: the registered number it called.',
  })
  number_id!: string | null;
  // --- end inbound calls -------------------------------------------------------------------------------

  // --- seed 001/002 call fields (issue 12 §6) ---
  @ApiProperty({ ...ID, nullable: true, description: 'The agent handling the call (seed 001, 002).' })
  agent_id!: string | null;
  @ApiProperty({
    ...ID,
    nullable: true,
    description:
      'The phone (number) the call was made or received on (seed 001); for an incoming call, the number it called.',
  })
  phone_id!: string | null;
  @ApiProperty({ type: CallContactView, description: 'The remote party (seed 001 `contact`).' })
  contact!: CallContactView;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 120,
    description: 'Same as `duration` (seed 002).',
  })
  duration_seconds!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '+31623731537',
    description: "The remote party's phone number (seed 002); null unless its address is `tel`.",
  })
  caller_phone!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '+31850835037',
    description: "Our side's phone number (seed 002); null unless its address is `tel`.",
  })
  assistant_phone!: string | null;
  // --- end seed 001/002 call fields ---
}

export function callView(call: Call, revision: bigint): CallView {
  const ended = call.status === 'hangup';
  return {
    id: call.id,
    call_id: call.id,
    customer_id: call.customerId,
    user_id: call.userId,
    contact_id: call.contactId,
    type: call.type,
    direction: call.direction,
    status: call.status,
    source: call.source && addressView(call.source),
    destination: addressView(call.destination),
    metadata: call.metadata,
    master_call_id: call.masterCallId,
    chained_call_ids: call.chainedCallIds,
    conference_id: call.conference?.conferenceId ?? null,
    recording_id: call.recordingId,
    recording_ids: call.recordingIds,
    // --- recording (issue 12 §2) ---
    recording_url: latestRecordingUrl(call),
    hangup_by: call.hangupBy,
    hangup_reason: call.hangupReason,
    end_reason: ended ? call.hangupReason : null,
    raw_cause: call.rawCause,
    start_time: call.startTime,
    // A client that ended the call with its own end_time (seed 000 PATCH) sees it at once, before the
    // media layer confirms the hangup.
    end_time: call.endTime ?? call.requestedEndTime,
    duration: ended ? call.durationSec : null,
    created_date: call.tmCreate,
    tm_create: call.tmCreate,
    tm_update: call.tmUpdate,
    tm_ringing: call.tmRinging,
    tm_progressing: call.tmProgressing,
    tm_hangup: call.tmHangup,
    dial_timeout: call.dialTimeoutSec,
    max_duration: call.maxDurationSec,
    status_callback: call.statusCallback ?? null,
    status_callback_events: call.statusCallbackEvents ?? null,
    revision: revision.toString(),
    ...callControlView(call),
    // inbound calls (numbers): the number called is the call's phone.
    number_id: call.inbound?.numberId ?? null,
    // --- seed 001/002 call fields (issue 12 §6) ---
    // A state folded before these fields existed (a call-history row written by an older release) has
    // neither; render it as the upcaster reads its event: null.
    agent_id: call.agentId ?? null,
    phone_id: call.phoneId ?? call.inbound?.numberId ?? null,
    contact: contactOf(call),
    duration_seconds: ended ? call.durationSec : null,
    caller_phone: phoneNumberOf(remotePartyOf(call)),
    assistant_phone: phoneNumberOf(localPartyOf(call)),
    // --- end seed 001/002 call fields ---
  };
}

function addressView(address: CallAddress): CallAddressView {
  return {
    type: address.type,
    target: address.target,
    target_name: address.targetName,
    name: address.name,
    detail: address.detail,
  };
}

// --- recording (issue 12 §2) ---
function latestRecordingUrl(call: Call): string | null {
  const latest = call.recordingIds.at(-1);
  return latest === undefined ? null : recordingFileUrl(latest);
}
// --- end recording ---
