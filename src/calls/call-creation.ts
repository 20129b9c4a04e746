import { invalid, ruleViolated } from '../domain/domain-error';
import type { JsonObject, JsonValue } from '../event-store/event-store';
import {
  type Call,
  type CallAddress,
  type CallCreated,
  type CallDirection,
  type CallEvent,
  type CallState,
  type CallType,
  isCall,
} from './call';
import type { CallControlSettings } from './call-actions';
import { DEFAULT_DIAL_TIMEOUT_SEC, DEFAULT_MAX_DURATION_SEC } from './call-timers';

/** `status_callback_events` when only a URL is given: every call event type, also those added later. */
const DEFAULT_STATUS_CALLBACK_EVENTS = ['call.*'];

/** An address as callers give it (seed 003); missing texts become ''. */
export type CallAddressInput = {
  type: CallAddress['type'];
  target: string;
  targetName?: string | null;
  name?: string | null;
  detail?: string | null;
};

/**
 * Start a call. Defaults: `type` voice, `direction` outgoing, dial timeout 60 s, max duration 1 h, metadata {}.
 * Seed 000 names only a `contact_id`: without a `destination`, the call goes to the platform user
 * `{ type: 'agent', target: contactId }`; likewise a missing `source` is the calling user
 * `{ type: 'agent', target: userId }`, or null when there is no user either.
 */
export type MakeCall = {
  type: 'MakeCall';
  data: {
    callId: string;
    customerId: string;
    at: string;
    type?: CallType;
    direction?: CallDirection;
    source?: CallAddressInput | null;
    destination?: CallAddressInput | null;
    contactId?: string | null;
    userId?: string | null;
    masterCallId?: string | null;
    metadata?: JsonObject;
    dialTimeoutSec?: number;
    maxDurationSec?: number;
    /** Per-call status callback: URL and event types (default `call.*`); src/webhooks/call-callbacks. */
    statusCallback?: string | null;
    statusCallbackEvents?: string[] | null;
    // --- seed 001 parties (issue 12 §6): UUIDs, validated at the edge ---
    agentId?: string | null;
    phoneId?: string | null;
    // --- end seed 001 parties ---
  } & CallControlSettings; // call control: actions run once answered, AMD (`call-actions.ts`)
};

/**
 * A client-chosen id makes MakeCall retryable: the same request again (any `at`) decides nothing and the
 * caller gets the existing call. Anything else with a taken id is `call.already_exists` (409), and so is
 * an identical request from another tenant (answering it would show the other tenant's call). The refusal
 * names no status, so it does not reveal whose call it is.
 */
export function decideCreation(command: MakeCall['data'], state: CallState): CallEvent[] {
  const data = creation(command);
  if (isCall(state)) {
    const { callId: _id, at: _at, ...requested } = data;
    if (state.customerId === command.customerId && canonical(requested) === canonical(settingsOf(state)))
      return [];
    throw ruleViolated('call.already_exists', `call ${command.callId} already exists`);
  }
  return [{ type: 'CallCreated', data }];
}

function creation(command: MakeCall['data']): CallCreated['data'] {
  const contactId = command.contactId ?? null;
  const userId = command.userId ?? null;
  const destination = command.destination
    ? address(command.destination)
    : contactId !== null
      ? address({ type: 'agent', target: contactId })
      : null;
  if (destination === null)
    throw invalid('call.destination_required', 'a call needs a destination or a contact_id', {
      field: 'destination',
    });
  if (command.masterCallId === command.callId)
    throw invalid('call.invalid_master', 'a call cannot be its own master', { field: 'master_call_id' });
  return {
    callId: command.callId,
    customerId: command.customerId,
    type: command.type ?? 'voice',
    direction: command.direction ?? 'outgoing',
    source: command.source
      ? address(command.source)
      : userId !== null
        ? address({ type: 'agent', target: userId })
        : null,
    destination,
    contactId,
    userId,
    masterCallId: command.masterCallId ?? null,
    metadata: command.metadata ?? {},
    dialTimeoutSec: seconds(command.dialTimeoutSec ?? DEFAULT_DIAL_TIMEOUT_SEC, 'dial_timeout'),
    maxDurationSec: seconds(command.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC, 'max_duration'),
    ...statusCallbackOf(command),
    // --- seed 001 parties (issue 12 §6) ---
    agentId: command.agentId ?? null,
    phoneId: command.phoneId ?? null,
    // --- end seed 001 parties ---
    at: command.at,
  };
}

/** Present only when the call has a callback, so calls without one record exactly what they always did. */
function statusCallbackOf(
  command: MakeCall['data'],
): Pick<CallCreated['data'], 'statusCallback' | 'statusCallbackEvents'> {
  if (command.statusCallback == null) {
    if (command.statusCallbackEvents != null)
      throw invalid('call.invalid_status_callback', 'status_callback_events needs a status_callback', {
        field: 'status_callback_events',
      });
    return {};
  }
  return {
    statusCallback: command.statusCallback,
    statusCallbackEvents: command.statusCallbackEvents ?? [...DEFAULT_STATUS_CALLBACK_EVENTS],
  };
}

function address(input: CallAddressInput): CallAddress {
  return {
    type: input.type,
    target: input.target,
    targetName: input.targetName ?? '',
    name: input.name ?? '',
    detail: input.detail ?? '',
  };
}

function seconds(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw invalid('call.invalid_timeout', `${field} must be a whole number of seconds above 0`, { field });
  return value;
}

/** What a MakeCall asked for, as recorded in state, to recognise a retry. */
function settingsOf(call: Call): Omit<CallCreated['data'], 'callId' | 'at'> {
  return {
    customerId: call.customerId,
    type: call.type,
    direction: call.direction,
    source: call.source,
    destination: call.destination,
    contactId: call.contactId,
    userId: call.userId,
    masterCallId: call.masterCallId,
    metadata: call.metadata,
    dialTimeoutSec: call.dialTimeoutSec,
    maxDurationSec: call.maxDurationSec,
    ...(call.statusCallback === undefined
      ? {}
      : { statusCallback: call.statusCallback, statusCallbackEvents: call.statusCallbackEvents }),
    // --- seed 001 parties (issue 12 §6) ---
    agentId: call.agentId,
    phoneId: call.phoneId,
    // --- end seed 001 parties ---
  };
}

/** JSON with sorted keys: two requests with the same content but another key order are the same request. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
