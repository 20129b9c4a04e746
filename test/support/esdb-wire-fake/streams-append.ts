import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  AllStreamPosition,
  Empty as SharedEmpty,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
} from '@eventstore/db-client/generated/streams_pb';
import {
  status as GrpcStatus,
  type ServerDuplexStream,
  type ServerReadableStream,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import type { AppendOutcome, ExpectedState, FakeLog, ProposedEvent } from './fake-log';
import { BadRequest, streamIdentifier, streamNameOf, toProposedEvent } from './proto-mapping';

/** Streams.Append (client-streaming) and Streams.BatchAppend (bidirectional) of the wire fake. */

export interface AppendGate {
  /** While stalled the fake accepts requests and never answers them (a hung server). */
  readonly stalled: boolean;
}

export function handleAppend(log: FakeLog, gate: AppendGate) {
  return (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let streamId: string | undefined;
    let expected: ExpectedState | undefined;
    const events: ProposedEvent[] = [];
    let failure: Error | undefined;
    call.on('data', (request: AppendReq) => {
      try {
        if (request.hasOptions()) {
          const options = request.getOptions()!;
          streamId = streamNameOf(options.getStreamIdentifier());
          expected = expectedFromAppendOptions(options);
        } else if (request.hasProposedMessage()) {
          events.push(toProposedEvent(request.getProposedMessage()!));
        }
      } catch (error) {
        failure ??= error as Error;
      }
    });
    call.on('end', () => {
      if (gate.stalled) return;
      if (failure || streamId === undefined || expected === undefined) {
        callback({ code: GrpcStatus.INVALID_ARGUMENT, details: failure?.message ?? 'Options not sent.' });
        return;
      }
      const outcome = log.append(streamId, expected, events);
      callback(null, appendResponse(outcome, expected));
    });
  };
}

function expectedFromAppendOptions(options: AppendReq.Options): ExpectedState {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (options.hasAny()) return { kind: 'any' };
  return { kind: 'revision', revision: BigInt(options.getRevision()) };
}

function appendResponse(outcome: AppendOutcome, expected: ExpectedState): AppendResp {
  if (outcome.kind === 'wrong_expected_version') {
    const wrong = new AppendResp.WrongExpectedVersion();
    if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new SharedEmpty());
    else wrong.setCurrentRevision(outcome.current.toString());
    if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
    else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new SharedEmpty());
    else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new SharedEmpty());
    else wrong.setExpectedAny(new SharedEmpty());
    return new AppendResp().setWrongExpectedVersion(wrong);
  }
  const success = new AppendResp.Success();
  if (outcome.currentRevision === 'no_stream') success.setNoStream(new SharedEmpty());
  else success.setCurrentRevision(outcome.currentRevision.toString());
  if (outcome.position === null) success.setNoPosition(new SharedEmpty());
  else {
    const { commit, prepare } = outcome.position;
    const position = new AppendResp.Position().setCommitPosition(commit.toString());
    success.setPosition(position.setPreparePosition(prepare.toString()));
  }
  return new AppendResp().setSuccess(success);
}

interface PendingBatch {
  streamId: string;
  expected: ExpectedState;
  events: ProposedEvent[];
}

export function handleBatchAppend(log: FakeLog, gate: AppendGate) {
  return (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    // One bidirectional stream carries many appends, told apart by correlation id; an append may span
    // several requests and is written when the request marked `is_final` arrives.
    const pending = new Map<string, PendingBatch>();
    call.on('data', (request: BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const key = correlation ? JSON.stringify(correlation.toObject()) : '';
      const respond = (response: BatchAppendResp) => {
        call.write(response.setCorrelationId(correlation));
      };
      try {
        if (request.hasOptions()) {
          const options = request.getOptions()!;
          const streamId = streamNameOf(options.getStreamIdentifier());
          pending.set(key, { streamId, expected: expectedFromBatchOptions(options), events: [] });
        }
        const batch = pending.get(key);
        if (!batch) return;
        for (const message of request.getProposedMessagesList()) batch.events.push(toProposedEvent(message));
        if (!request.getIsFinal()) return;
        pending.delete(key);
        if (gate.stalled) return;
        const outcome = log.append(batch.streamId, batch.expected, batch.events);
        respond(batchResponse(outcome, batch).setStreamIdentifier(streamIdentifier(batch.streamId)));
      } catch (error) {
        if (!(error instanceof BadRequest)) throw error;
        pending.delete(key);
        respond(
          new BatchAppendResp().setError(
            new Status().setCode(Code.INVALID_ARGUMENT).setMessage(error.message),
          ),
        );
      }
    });
    call.on('end', () => call.end());
    call.on('error', () => pending.clear());
  };
}

function expectedFromBatchOptions(options: BatchAppendReq.Options): ExpectedState {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (options.hasAny()) return { kind: 'any' };
  return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
}

function batchResponse(outcome: AppendOutcome, batch: PendingBatch): BatchAppendResp {
  if (outcome.kind === 'wrong_expected_version') {
    // As the server does: a google.rpc.Status whose details pack event_store.client.WrongExpectedVersion.
    const details = new WrongExpectedVersion();
    if (outcome.current === 'no_stream') details.setCurrentNoStream(new Empty());
    else details.setCurrentStreamRevision(outcome.current.toString());
    const expected = batch.expected;
    if (expected.kind === 'revision') details.setExpectedStreamPosition(expected.revision.toString());
    else if (expected.kind === 'no_stream') details.setExpectedNoStream(new Empty());
    else if (expected.kind === 'stream_exists') details.setExpectedStreamExists(new Empty());
    else details.setExpectedAny(new Empty());
    const any = new Any();
    any.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
    const error = new Status()
      .setCode(Code.FAILED_PRECONDITION)
      .setMessage('WrongExpectedVersion')
      .setDetails(any);
    return new BatchAppendResp().setError(error);
  }
  const success = new BatchAppendResp.Success();
  if (outcome.currentRevision === 'no_stream') success.setNoStream(new Empty());
  else success.setCurrentRevision(outcome.currentRevision.toString());
  if (outcome.position === null) success.setNoPosition(new Empty());
  else {
    const { commit, prepare } = outcome.position;
    const position = new AllStreamPosition().setCommitPosition(commit.toString());
    success.setPosition(position.setPreparePosition(prepare.toString()));
  }
  return new BatchAppendResp().setSuccess(success);
}
