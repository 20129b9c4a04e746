import { Transform } from 'class-transformer';

/**
 * A query parameter that is a whole number written in decimal digits. `@Type(() => Number)` took what
 * `Number()` takes: `1e1`, `0x10` and a blank (as 0, "must not be less than 1"). Anything else becomes NaN
 * here, so the `@IsInt()` beside it names the field with "must be an integer number". A number (a request
 * built in code rather than parsed from a URL) passes as it is.
 */
export const QueryInteger = () =>
  Transform(({ value }) => {
    if (typeof value === 'number') return value;
    return typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  });
