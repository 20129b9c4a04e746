import { ApiProperty } from '@nestjs/swagger';
import type { JsonObject } from '../event-store/event-store';
import type { Call } from './call';
import { CALL_ACTION_TYPES, type CallControl, controlOf } from './call-control';

/**
 * The call-control fields of the call view (seed 003 `action`, seed 002 `messages`, the transfer and AMD).
 * `CallView` extends this class, so the fields are documented once and rendered by `callControlView`.
 */
export class CallActionView {
  @ApiProperty({ format: 'uuid', description: 'The action id.' })
  id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The next queued action, if any (seed 003).' })
  next_id!: string | null;
  @ApiProperty({ enum: CALL_ACTION_TYPES })
  type!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { text: 'Hello.', gender: 'female', language: 'en-US' },
  })
  option!: JsonObject;
  @ApiProperty({ enum: ['running', 'done', 'failed'], description: 'Running, or how it ended.' })
  status!: string;
  @ApiProperty({ format: 'date-time', description: 'When it started (seed 003).' })
  tm_execute!: string;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'When the media layer began playing it.' })
  tm_media_start!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'When it ended.' })
  tm_finish!: string | null;
}

export class QueuedActionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: CALL_ACTION_TYPES })
  type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  option!: JsonObject;
}

export class CallMessageView {
  @ApiProperty({
    enum: ['assistant', 'user', 'system'],
    description: 'assistant: a talk; user: speech the media layer heard; system: a context note.',
  })
  role!: string;
  @ApiProperty({ example: 'Hello, how can I help you?' })
  content!: string;
  @ApiProperty({ format: 'date-time' })
  tm_create!: string;
}

export class CallTransferView {
  @ApiProperty({ format: 'uuid', description: 'The new leg (a call chained to this one).' })
  call_id!: string;
  @ApiProperty({ format: 'uuid', description: 'The transfer action.' })
  action_id!: string;
  @ApiProperty({ enum: ['dialing', 'transferred', 'failed'] })
  status!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'busy',
    description: "Why it failed: the leg's reason.",
  })
  failure_reason!: string | null;
  @ApiProperty({ format: 'date-time', description: 'Last change of the transfer.' })
  tm_update!: string;
}

export class CallAmdView {
  @ApiProperty({ enum: ['hangup', 'continue'], description: 'What a machine answer does.' })
  on_machine!: string;
  @ApiProperty({ enum: ['human', 'machine', null], nullable: true, description: 'Null until detected.' })
  result!: string | null;
}

export class CallControlFields {
  @ApiProperty({ type: CallActionView, nullable: true, description: 'The running (or last) action.' })
  action!: CallActionView | null;
  @ApiProperty({ type: [QueuedActionView], description: 'Actions waiting their turn, in order.' })
  queued_actions!: QueuedActionView[];
  @ApiProperty({ type: [CallMessageView], description: 'The conversation as the log knows it (seed 002).' })
  messages!: CallMessageView[];
  @ApiProperty({ type: CallTransferView, nullable: true, description: 'The latest transfer, if any.' })
  transfer!: CallTransferView | null;
  @ApiProperty({ type: Boolean, description: 'The far end was transferred to another leg.' })
  transferred!: boolean;
  @ApiProperty({ type: CallAmdView, nullable: true, description: 'Answering-machine detection, if asked.' })
  amd!: CallAmdView | null;
}

export function callControlView(call: Call): CallControlFields {
  const control: CallControl = controlOf(call);
  const { action, transfer, amd } = control;
  return {
    action: action && {
      id: action.id,
      next_id: control.queue[0]?.id ?? null,
      type: action.type,
      option: action.option,
      status: action.status,
      tm_execute: action.tmExecute,
      tm_media_start: action.tmMediaStarted,
      tm_finish: action.tmFinished,
    },
    queued_actions: control.queue.map(({ id, type, option }) => ({ id, type, option })),
    messages: control.messages.map(({ role, content, at }) => ({ role, content, tm_create: at })),
    transfer: transfer && {
      call_id: transfer.callId,
      action_id: transfer.actionId,
      status: transfer.status,
      failure_reason: transfer.reason,
      tm_update: transfer.at,
    },
    transferred: transfer?.status === 'transferred',
    amd: amd && { on_machine: amd.onMachine, result: amd.result },
  };
}
