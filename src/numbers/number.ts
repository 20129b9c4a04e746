import { assertNever, type DomainEvent } from '../domain/decider';
import type { JsonObject } from '../event-store/event-store';

/**
 * The phone-number aggregate: one stream per E.164 number (`number-<digits>`), so the store's expected
 * revision is what makes a number unique across tenants: two tenants registering it at once race for the
 * same stream, and exactly one append wins. Each registration gets a fresh public id (`numberId`); a
 * release ends it, and the number can then be registered again (by anyone) under a new id.
 */

/**
 * What happens to a call to this number:
 * - `ring`: the call rings the application, which answers (`POST /v1/calls/:id/answer`) or rejects it;
 * - `answer`: Switchboard answers at once; `actions` are stored as given (running them is call control's);
 * - `join_conference`: Switchboard answers and puts the call into `conferenceId` (same tenant).
 */
export type OnIncoming = 'ring' | 'answer' | 'join_conference';
export const ON_INCOMING: readonly OnIncoming[] = ['ring', 'answer', 'join_conference'];

/** A call action as a number stores it: loosely `{type, option}`, interpreted by call control. */
export type NumberAction = { type: string; option: JsonObject };

/** How a number routes its calls; every field is stored on every registration and update. */
export type NumberRouting = {
  name: string;
  onIncoming: OnIncoming;
  actions: NumberAction[];
  conferenceId: string | null;
  /** Seconds an incoming call rings before it ends with `noanswer`. */
  ringTimeoutSec: number;
};

export type NumberRegistered = DomainEvent<
  'NumberRegistered',
  NumberRouting & { numberId: string; customerId: string; phoneNumber: string; at: string }
>;
export type NumberUpdated = DomainEvent<'NumberUpdated', NumberRouting & { numberId: string; at: string }>;
export type NumberReleased = DomainEvent<'NumberReleased', { numberId: string; at: string }>;
export type NumberEvent = NumberRegistered | NumberUpdated | NumberReleased;

export type PhoneNumber = NumberRouting & {
  status: 'active';
  numberId: string;
  customerId: string;
  phoneNumber: string;
  tmCreate: string;
  tmUpdate: string;
};
/** Never registered, or released: free for anyone. `lastNumberId` keeps a released id from coming back. */
export type FreeNumber = { status: 'free'; lastNumberId: string | null };
export type NumberState = FreeNumber | PhoneNumber;

export const initialNumberState: NumberState = { status: 'free', lastNumberId: null };

export function isRegistered(state: NumberState): state is PhoneNumber {
  return state.status === 'active';
}

export function evolveNumber(state: NumberState, event: NumberEvent): NumberState {
  switch (event.type) {
    case 'NumberRegistered': {
      const { at, ...rest } = event.data;
      return { status: 'active', ...rest, tmCreate: at, tmUpdate: at };
    }
    case 'NumberUpdated': {
      if (!isRegistered(state)) return state;
      const { at, numberId: _id, ...routing } = event.data;
      return { ...state, ...routing, tmUpdate: at };
    }
    case 'NumberReleased':
      return { status: 'free', lastNumberId: event.data.numberId };
    default:
      return assertNever(event);
  }
}
