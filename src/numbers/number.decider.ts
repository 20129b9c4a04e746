import { assertNever, type Decider } from '../domain/decider';
import { invalid, notFound, ruleViolated } from '../domain/domain-error';
import {
  evolveNumber,
  initialNumberState,
  isRegistered,
  type NumberAction,
  type NumberEvent,
  type NumberRouting,
  type NumberState,
  ON_INCOMING,
  type OnIncoming,
  type PhoneNumber,
} from './number';
import { E164 } from './number-stream';

export const DEFAULT_RING_TIMEOUT_SEC = 30;
export const MAX_RING_TIMEOUT_SEC = 600;

/** Routing as a client gives it; absent fields keep their current value (update) or default (register). */
export type RoutingInput = {
  name?: string;
  onIncoming?: OnIncoming;
  actions?: NumberAction[];
  conferenceId?: string | null;
  ringTimeoutSec?: number;
};

type NumberRef = { numberId: string; customerId: string; phoneNumber: string; at: string };

/**
 * Register a number. A taken number is refused with one answer, `number.taken` (409), whoever holds it,
 * the caller included, so the refusal tells nobody whose it is. The same registration again (same id,
 * tenant and routing: a retry) decides nothing.
 */
export type RegisterNumber = { type: 'RegisterNumber'; data: NumberRef & RoutingInput };
/** Change the routing of the registration `numberId`; a stale or foreign id is unknown (404). */
export type UpdateNumber = { type: 'UpdateNumber'; data: NumberRef & RoutingInput };
/** End the registration `numberId`: the number is free again. */
export type ReleaseNumber = { type: 'ReleaseNumber'; data: NumberRef };

export type NumberCommand = RegisterNumber | UpdateNumber | ReleaseNumber;

export function decideNumber(command: NumberCommand, state: NumberState): NumberEvent[] {
  switch (command.type) {
    case 'RegisterNumber':
      return register(command.data, state);
    case 'UpdateNumber': {
      const number = registration(state, command.data);
      const routing = routingOf(command.data, number);
      if (sameRouting(routing, number)) return [];
      return [
        { type: 'NumberUpdated', data: { numberId: number.numberId, ...routing, at: command.data.at } },
      ];
    }
    case 'ReleaseNumber': {
      const number = registration(state, command.data);
      return [{ type: 'NumberReleased', data: { numberId: number.numberId, at: command.data.at } }];
    }
    default:
      return assertNever(command);
  }
}

export const numberDecider: Decider<NumberCommand, NumberEvent, NumberState> = {
  decide: decideNumber,
  evolve: evolveNumber,
  initialState: initialNumberState,
};

function register(data: RegisterNumber['data'], state: NumberState): NumberEvent[] {
  if (!E164.test(data.phoneNumber))
    throw invalid('number.invalid', 'phone_number must be E.164, e.g. +15551234567', {
      field: 'phone_number',
    });
  const routing = routingOf(data, null);
  if (isRegistered(state)) {
    const retry =
      state.numberId === data.numberId && state.customerId === data.customerId && sameRouting(routing, state);
    if (retry) return [];
    throw ruleViolated('number.taken', `phone number ${data.phoneNumber} is already registered`);
  }
  if (state.lastNumberId === data.numberId)
    throw ruleViolated('number.taken', `phone number ${data.phoneNumber} is already registered`);
  const { numberId, customerId, phoneNumber, at } = data;
  return [{ type: 'NumberRegistered', data: { numberId, customerId, phoneNumber, ...routing, at } }];
}

function registration(state: NumberState, ref: NumberRef): PhoneNumber {
  // Another tenant's number, an earlier registration's id, a released one: all the unknown id's answer.
  if (!isRegistered(state) || state.numberId !== ref.numberId || state.customerId !== ref.customerId)
    throw notFound('number.not_found', `number ${ref.numberId} not found`, { numberId: ref.numberId });
  return state;
}

/** The complete routing: the input over `current` (or the defaults), checked as a whole. */
function routingOf(input: RoutingInput, current: NumberRouting | null): NumberRouting {
  const onIncoming = input.onIncoming ?? current?.onIncoming ?? 'ring';
  if (!ON_INCOMING.includes(onIncoming))
    throw invalid('number.invalid_routing', `on_incoming must be one of ${ON_INCOMING.join(', ')}`, {
      field: 'on_incoming',
    });
  // Switching away from a mode drops what only that mode uses, unless the client sets it again.
  const keep = current !== null && current.onIncoming === onIncoming;
  const actions = input.actions ?? (keep ? current.actions : []);
  const conferenceId =
    input.conferenceId !== undefined ? input.conferenceId : keep ? current.conferenceId : null;
  if (onIncoming === 'join_conference' && conferenceId === null)
    throw invalid('number.conference_required', 'on_incoming join_conference needs a conference_id', {
      field: 'conference_id',
    });
  if (onIncoming !== 'join_conference' && conferenceId !== null)
    throw invalid('number.invalid_routing', 'conference_id is only for on_incoming join_conference', {
      field: 'conference_id',
    });
  if (onIncoming !== 'answer' && actions.length > 0)
    throw invalid('number.invalid_routing', 'actions are only for on_incoming answer', { field: 'actions' });
  const ringTimeoutSec = input.ringTimeoutSec ?? current?.ringTimeoutSec ?? DEFAULT_RING_TIMEOUT_SEC;
  if (!Number.isInteger(ringTimeoutSec) || ringTimeoutSec < 1 || ringTimeoutSec > MAX_RING_TIMEOUT_SEC)
    throw invalid(
      'number.invalid_ring_timeout',
      `ring_timeout must be 1 to ${MAX_RING_TIMEOUT_SEC} seconds`,
      {
        field: 'ring_timeout',
      },
    );
  return { name: input.name ?? current?.name ?? '', onIncoming, actions, conferenceId, ringTimeoutSec };
}

function sameRouting(a: NumberRouting, b: NumberRouting): boolean {
  return (
    a.name === b.name &&
    a.onIncoming === b.onIncoming &&
    a.conferenceId === b.conferenceId &&
    a.ringTimeoutSec === b.ringTimeoutSec &&
    JSON.stringify(a.actions) === JSON.stringify(b.actions)
  );
}
