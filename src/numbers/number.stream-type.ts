import type { StreamType } from '../command-handling/stream-type';
import { notFound } from '../domain/domain-error';
import { isRegistered, type NumberEvent, type NumberState } from './number';
import { type NumberCommand, numberDecider } from './number.decider';
import { NUMBER_STREAM_PREFIX } from './number-stream';
import { NUMBERS_READ_MODEL } from './numbers-read-model/numbers.projection';

/**
 * The number stream type: `number-<digits>`, keyed by the number itself (not by its public id), owned by
 * the tenant holding the current registration. Commands reach it through `numberKey(phoneNumber)`; the
 * public id → number mapping is the numbers read model's. Registration is the creating command: the
 * decider refuses a taken number with one answer for every tenant.
 */
export const numberStream: StreamType<NumberCommand, NumberEvent, NumberState> = {
  streamPrefix: NUMBER_STREAM_PREFIX,
  decider: numberDecider,
  ownerOf: (state) => (isRegistered(state) ? state.customerId : null),
  // The key is the number itself: the answer must not echo it (the caller named a number id, not this).
  notFound: () => notFound('number.not_found', 'number not found'),
  creates: (command) => command.type === 'RegisterNumber',
  readModels: [NUMBERS_READ_MODEL],
};
