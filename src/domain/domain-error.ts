/**
 * Typed errors raised by deciders and command handlers. One HTTP filter maps the kind to a status
 * (RFC 9457 problem details): rule_violated 409, not_found 404, invalid 422, precondition_failed 412,
 * conflict 409, unavailable 503.
 */
export type DomainErrorKind =
  | 'rule_violated'
  | 'not_found'
  | 'invalid'
  | 'precondition_failed'
  | 'conflict'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine-readable code, e.g. `call.already_hung_up`; becomes the problem `type` suffix. */
    readonly code: string,
    message: string,
    /** Extra problem members, e.g. `{ status: 'hangup' }` so clients see the current state. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const ruleViolated = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('rule_violated', code, message, details);

export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('not_found', code, message, details);

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid', code, message, details);
