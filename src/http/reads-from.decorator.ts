import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, type Observable, switchMap } from 'rxjs';
import { MIN_POSITION_FIELD, ReadYourWrites } from '../command-handling/read-your-writes';
import { InputValidationError } from './validation';

const READS_FROM = 'switchboard:reads-from';

/**
 * A position a client got from a write on ANOTHER instance (the `Switchboard-Position` response header):
 * this instance answers only once its read models have applied it (or 503 after the bound).
 */
export const MIN_POSITION_HEADER = 'switchboard-min-position';

/**
 * Marks a route that answers from read models: before it runs, those read models must show every write this
 * instance acknowledged (see ReadYourWrites). Only such routes pay for the interceptor.
 */
export const ReadsFrom = (...projections: string[]) =>
  applyDecorators(SetMetadata(READS_FROM, projections), UseInterceptors(ReadFreshnessInterceptor));

@Injectable()
export class ReadFreshnessInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const projections = this.reflector.getAllAndOverride<string[] | undefined>(READS_FROM, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const minPosition = parseMinPosition(request.headers[MIN_POSITION_HEADER]);
    return from(this.readYourWrites.ensureFresh(projections ?? [], minPosition)).pipe(
      switchMap(() => next.handle()),
    );
  }
}

export function parseMinPosition(header: string | string[] | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!/^\d{1,20}$/.test(value.trim()))
    throw new InputValidationError([
      {
        field: MIN_POSITION_FIELD,
        message: 'must be a position: the decimal digits of Switchboard-Position',
      },
    ]);
  return BigInt(value.trim());
}
