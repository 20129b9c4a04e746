import type { FastifyReply } from 'fastify';
import { setRevisionHeaders } from '../http/revision-headers';
import { isCall } from './call';
import type { CallOutcome } from './call-outcome';
import { type CallView, callView } from './call-view';

/** A call command's HTTP answer: the call as it now is, its revision as the ETag. */
export function respondWithCall(outcome: CallOutcome, reply: FastifyReply): CallView {
  // Every call command either throws or leaves an existing call behind.
  if (!isCall(outcome.state)) throw new Error('call command left no call');
  setRevisionHeaders(reply, outcome.revision);
  return callView(outcome.state, outcome.revision);
}
