import {
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { eventTypesOf } from '../../event-catalog/public-event-types';
import { checkTargetUrl, TargetRefused } from '../outbound-target';

/** The public types a status callback may ask for: the call's own (`call.*`). */
export const CALL_EVENT_TYPES: readonly string[] = eventTypesOf('call');
/** `status_callback_events` when the request names none: every call type, including ones added later. */
export const DEFAULT_STATUS_CALLBACK_EVENTS: readonly string[] = ['call.*'];
export const MAX_STATUS_CALLBACK_URL_LENGTH = 2048;

/**
 * Syntax and scheme of `status_callback` (absolute http/https, no credentials), as for webhook endpoints.
 * Private and loopback addresses are refused when a delivery is attempted (the attempt is logged as
 * failed), where the operator's WEBHOOK_ALLOW_PRIVATE_TARGETS is known.
 */
@ValidatorConstraint({ name: 'statusCallbackUrl' })
export class StatusCallbackUrl implements ValidatorConstraintInterface {
  private reason = 'status_callback must be an absolute http or https URL';
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || value.length > MAX_STATUS_CALLBACK_URL_LENGTH) return false;
    try {
      checkTargetUrl(value, true);
      return true;
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      this.reason = `status_callback: ${error.message}`;
      return false;
    }
  }
  defaultMessage(): string {
    return this.reason;
  }
}

/** Each entry is a call event type of the catalogue, or `call.*`; only next to a `status_callback`. */
@ValidatorConstraint({ name: 'statusCallbackEvents' })
export class StatusCallbackEvents implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (!hasCallback(args)) return false;
    return Array.isArray(value) && value.length > 0 && unknownCallEventTypes(value).length === 0;
  }
  defaultMessage(args: ValidationArguments): string {
    if (!hasCallback(args)) return 'status_callback_events needs a status_callback';
    const unknown = Array.isArray(args.value) ? unknownCallEventTypes(args.value) : [];
    return unknown.length > 0
      ? `status_callback_events: unknown call event types: ${unknown.join(', ')} (one of ${CALL_EVENT_TYPES.join(', ')}, or call.*)`
      : 'status_callback_events must be a non-empty array of call event types';
  }
}

function hasCallback(args: ValidationArguments): boolean {
  return (args.object as { status_callback?: unknown }).status_callback != null;
}

function unknownCallEventTypes(values: unknown[]): unknown[] {
  return values.filter(
    (value) => typeof value !== 'string' || (value !== 'call.*' && !CALL_EVENT_TYPES.includes(value)),
  );
}
