import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from './problem-details';

/** Thrown for bad input; the problem filter turns it into a 400 listing every offending field. */
export class InputValidationError extends BadRequestException {
  constructor(readonly fieldErrors: FieldError[]) {
    super('Request validation failed');
  }
}

/** Flattens class-validator's nested errors into `field: message` pairs with dotted paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Unknown fields are rejected (not silently dropped) so a typo in a field name is a visible 400, and
 * query strings are converted to the DTO's declared types.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InputValidationError(flattenValidationErrors(errors)),
  });
}
