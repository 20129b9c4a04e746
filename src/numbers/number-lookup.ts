import { Injectable } from '@nestjs/common';
import { notFound } from '../domain/domain-error';
import { numberKey } from './number-stream';
import { NumbersQueries } from './numbers-read-model/numbers.queries';

/**
 * Public number id → the number's stream key, through the tenant's own rows of the numbers read model
 * (read-your-writes holds: registering waited for it). Another tenant's id and an unknown one are the
 * same 404; the decider re-checks the id on the stream, so a stale row cannot act on a newer registration.
 */
@Injectable()
export class NumberLookup {
  constructor(private readonly numbers: NumbersQueries) {}

  streamKeyOf(customerId: string, numberId: string): { key: string; phoneNumber: string } {
    const found = this.numbers.byId(customerId, numberId);
    if (!found) throw notFound('number.not_found', `number ${numberId} not found`, { numberId });
    return { key: numberKey(found.number.phoneNumber), phoneNumber: found.number.phoneNumber };
  }
}
