import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InputValidationError } from './validation';

/** Path ids must be UUIDs; anything else is a 400 naming the parameter, never a lookup. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly field = 'id') {}

  transform(value: string): string {
    if (!isUUID(value))
      throw new InputValidationError([{ field: this.field, message: `${this.field} must be a UUID` }]);
    return value.toLowerCase();
  }
}
