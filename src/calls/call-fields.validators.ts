import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/**
 * Field rules shared by several call requests (make, end, list). They live beside the aggregate, not in
 * one use case, so no use-case folder imports another.
 */

/** User and contact ids are the customer's own; any short token is accepted. */
export const USER_ID_PATTERN = /^[A-Za-z0-9._:@+-]{1,128}$/;
export const USER_ID_MESSAGE = '$property must be 1 to 128 letters, digits or ._:@+-';

/**
 * An ISO-8601 date-time WITH its offset (`Z` or `+07:00`): without one, the instant would depend on the
 * server's time zone.
 */
export const WITH_ZONE = /T.*(Z|[+-]\d{2}:?\d{2})$/;

export const IsInstant = () =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }),
    Matches(WITH_ZONE, {
      message: '$property must be a date-time with a time zone (e.g. Z)',
    }),
  );
