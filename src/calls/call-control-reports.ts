import { assertNever } from '../domain/decider';
import { invalid, ruleViolated } from '../domain/domain-error';
import type { Call, CallEvent } from './call';
import { finished, hangupRequested, isRunning, proceed } from './call-action-queue';
import type { ReportMediaEvent, ReportTransferOutcome } from './call-actions';
import { controlOf } from './call-control';

/**
 * What call control makes of reports (rules in `call-actions.ts`): the media layer's control signals
 * (action start and end, the user's speech, the AMD verdict) and a transfer leg's outcome.
 */
export function mediaEvent(call: Call, data: ReportMediaEvent['data']): CallEvent[] {
  const { signalId, kind, at } = data;
  const control = controlOf(call);
  const seen = control.appliedSignals[signalId] ?? call.appliedSignals[signalId];
  if (seen !== undefined) {
    if (seen === kind) return [];
    throw invalid('call.signal_id_reused', `signal ${signalId} was already applied as "${seen}"`, {
      signalId,
      appliedSignal: seen,
    });
  }
  if (call.status === 'dialing' || call.status === 'ringing')
    throw ruleViolated(
      'call.not_answered',
      `call ${call.id} has not been answered: "${kind}" does not apply`,
      {
        status: call.status,
        signal: kind,
      },
    );
  // Ending or over: the media layer is reporting what it was still doing; nothing of it matters now.
  if (call.status !== 'progressing') return [];
  const callId = call.id;
  switch (kind) {
    case 'action_started': {
      const actionId = required(data.actionId, 'action_id', kind);
      if (!isRunning(call, actionId) || control.action?.tmMediaStarted) return [];
      return [{ type: 'CallActionMediaStarted', data: { callId, actionId, signalId, at } }];
    }
    case 'action_finished': {
      const actionId = required(data.actionId, 'action_id', kind);
      const outcome = data.result ?? 'done';
      if (outcome !== 'done' && outcome !== 'failed')
        throw invalid('call.invalid_signal', 'result of action_finished must be done or failed', {
          field: 'result',
        });
      // A transfer ends with its leg, not with a media report.
      if (!isRunning(call, actionId) || control.action?.type === 'transfer') return [];
      return proceed(call, [finished(call, outcome, data.cause ?? null, signalId, at)], at);
    }
    case 'speech': {
      const text = required(data.text, 'text', kind);
      return [
        {
          type: 'CallMessageAdded',
          data: { callId, role: 'user', content: text, actionId: null, signalId, at },
        },
      ];
    }
    case 'amd': {
      const result = data.result;
      if (result !== 'human' && result !== 'machine')
        throw invalid('call.invalid_signal', 'result of amd must be human or machine', { field: 'result' });
      // Only the first verdict counts, and only when detection was asked for.
      if (control.amd === null || control.amd.result !== null) return [];
      const detected: CallEvent = { type: 'CallAmdDetected', data: { callId, result, signalId, at } };
      if (result === 'machine' && control.amd.onMachine === 'hangup')
        return [detected, hangupRequested(call, 'amd', at)];
      return proceed(call, [detected], at);
    }
    default:
      return assertNever(kind);
  }
}

export function transferOutcome(call: Call, data: ReportTransferOutcome['data']): CallEvent[] {
  const { transferCallId, outcome, reason, at } = data;
  const transfer = controlOf(call).transfer;
  if (transfer === null || transfer.callId !== transferCallId || call.status !== 'progressing') return [];
  const { actionId } = transfer;
  if (transfer.status === 'dialing') {
    if (outcome === 'answered')
      return [
        { type: 'CallTransferred', data: { callId: call.id, actionId, transferCallId, at } },
        finished(call, 'done', null, null, at),
      ];
    const why = reason ?? 'failed';
    return proceed(
      call,
      [
        { type: 'CallTransferFailed', data: { callId: call.id, actionId, transferCallId, reason: why, at } },
        finished(call, 'failed', why, null, at),
      ],
      at,
    );
  }
  // Transferred: the far end was bridged to the leg, so the leg's end is the conversation's end.
  if (transfer.status === 'transferred' && outcome === 'ended') return [hangupRequested(call, 'normal', at)];
  return [];
}

function required(value: string | null | undefined, field: string, kind: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw invalid('call.invalid_signal', `a "${kind}" signal needs ${field}`, { field });
}
