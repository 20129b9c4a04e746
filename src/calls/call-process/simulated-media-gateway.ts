import { Logger, type LoggerService, type OnModuleDestroy } from '@nestjs/common';
import type { Clock } from '../../domain/clock';
import { DomainError } from '../../domain/domain-error';
import type { JsonObject } from '../../event-store/event-store';
import { backoffDelay } from '../../reactors/backoff';
import { isFinal } from '../../reactors/reactor-runner';
import { MemoryRecordingFiles, type RecordingFiles } from '../../recordings/files/recording-files';
import type {
  RecordingMediaRequest,
  RecordingStopMediaRequest,
} from '../../recordings/media/recording-media';
import { SimulatedRecorder } from '../../recordings/media/simulated-recorder';
import type { ScheduledTask, Scheduler } from '../../timers/scheduler';
import type { HangupReason } from '../call';
import type {
  CallActionRequest,
  CallLeg,
  ConferenceJoinRequest,
  ConferenceLeaveRequest,
  DialRequest,
  MediaGateway,
  MediaSignalSink,
} from '../media-gateway/media-gateway.port';
import {
  type ControlStep,
  simulatedActionScript,
  simulatedAmdVerdict,
} from '../media-gateway/simulated-control-script';
import {
  type ScriptStep,
  type SimulatedGatewayConfig,
  simulatedDialScript,
  simulatedHangupScript,
} from '../media-gateway/simulated-script';

type ConferenceLeg = CallLeg & { conferenceId: string; conferencecallId: string };

/** A report that failed for a transient reason (store busy, conflict) is tried this many times in all. */
const MAX_DELIVERY_ATTEMPTS = 5;
const DELIVERY_BACKOFF = { initialMs: 100, maxMs: 2_000 };

/** Conference actions the gateway was handed, in order (what a real one would have played). */
export type PlayedActions = {
  phase: 'pre' | 'post';
  conferenceId: string;
  conferencecallId: string;
  actions: readonly JsonObject[];
};

/**
 * The built-in media layer: plays `simulatedDialScript` (magic destinations for busy, no answer, failure,
 * remote hangup...) on an injectable scheduler and reports through the `MediaSignalSink`.
 *
 * Idempotent, as the port demands: signal ids are stable (`sim-<callId>-<n>` for the n-th step of the dial
 * script, `sim-<callId>-hangup`, `sim-<conferencecallId>-joined|left`), so a repeated request — or a
 * re-dial after a restart, when this in-memory gateway has forgotten the leg — reports the same signals
 * again, and the deciders absorb them. Signals of one call (or conferencecall) are reported one after the
 * other, in script order. Legs live in memory only: after a restart, a ringing call is ended by its dial
 * timeout, an answered one by its max duration or a hangup request (always confirmed).
 */
export class SimulatedMediaGateway implements MediaGateway, OnModuleDestroy {
  private readonly logger: LoggerService;
  /** Steps of a call's dial script not reported yet; dropped when we hang up. */
  private readonly dialSteps = new Map<string, ScheduledTask[]>();
  /** Call control per call: the actions handed over (idempotency) and their reports still to come. */
  private readonly actionSteps = new Map<string, { actionIds: Set<string>; tasks: ScheduledTask[] }>();
  private readonly pending = new Set<ScheduledTask>();
  /** Per call / conferencecall: the tail of its report queue, so signals go out in order. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly played = new Map<string, PlayedActions[]>();
  private readonly playedKeys = new Set<string>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;
  private readonly recorder: SimulatedRecorder;

  constructor(
    private readonly sink: MediaSignalSink,
    private readonly config: SimulatedGatewayConfig,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    logger?: LoggerService,
    recordingFiles: RecordingFiles = new MemoryRecordingFiles(),
  ) {
    this.logger = logger ?? new Logger(SimulatedMediaGateway.name);
    simulatedHangupScript(config); // validates the delays at construction
    this.recorder = new SimulatedRecorder(recordingFiles);
  }

  async dial(call: DialRequest): Promise<void> {
    this.ensureRunning();
    if (this.dialSteps.has(call.callId)) return;
    const steps = simulatedDialScript(call.destination, this.config);
    const tasks = steps.map((step, index) =>
      this.after(step.afterMs, () => this.reportCall(call, `sim-${call.callId}-${index + 1}`, step)),
    );
    const answer = steps.find((step) => step.signal === 'answered');
    if (call.detectMachine && answer)
      tasks.push(
        this.after(answer.afterMs + this.config.amdDelayMs, () =>
          this.reportControl(call, `sim-${call.callId}-amd`, {
            kind: 'amd',
            result: simulatedAmdVerdict(call.destination.target),
            actionId: null,
          }),
        ),
      );
    this.dialSteps.set(call.callId, tasks);
  }

  /** Plays a talk or a play for the time `simulatedActionScript` gives, reporting its start and end. */
  async executeAction(request: CallActionRequest): Promise<void> {
    this.ensureRunning();
    const legActions = this.actionSteps.get(request.callId) ?? { actionIds: new Set(), tasks: [] };
    if (legActions.actionIds.has(request.actionId)) return;
    legActions.actionIds.add(request.actionId);
    this.actionSteps.set(request.callId, legActions);
    const tasks = simulatedActionScript(request, this.config).map((step: ControlStep) =>
      this.after(step.afterMs, () =>
        this.reportControl(request, `sim-${request.callId}-${request.actionId}-${step.kind}`, {
          kind: step.kind,
          result: step.result,
          actionId: request.actionId,
        }),
      ),
    );
    legActions.tasks.push(...tasks);
  }

  async hangup(call: CallLeg, _reason: HangupReason): Promise<void> {
    this.ensureRunning();
    // Whatever the dial script had left will not happen: the leg is being torn down.
    for (const task of this.dialSteps.get(call.callId) ?? []) task.cancel();
    this.dialSteps.set(call.callId, []);
    for (const task of this.actionSteps.get(call.callId)?.tasks ?? []) task.cancel();
    this.actionSteps.delete(call.callId);
    for (const step of simulatedHangupScript(this.config))
      this.after(step.afterMs, () => this.reportCall(call, `sim-${call.callId}-hangup`, step));
  }

  async joinConference(request: ConferenceJoinRequest): Promise<void> {
    this.ensureRunning();
    this.record('pre', request, request.preActions);
    this.after(this.config.conferenceDelayMs, () => this.reportConference(request, 'joined'));
  }

  async leaveConference(request: ConferenceLeaveRequest): Promise<void> {
    this.ensureRunning();
    this.record('post', request, request.postActions);
    this.after(this.config.conferenceDelayMs, () => this.reportConference(request, 'left'));
  }

  // --- recording (issue 12 §2) ---
  async startRecording(_request: RecordingMediaRequest): Promise<void> {
    // Accepted: the audio is made at the stop, as long as the recording ran (see SimulatedRecorder).
    this.ensureRunning();
  }

  async stopRecording(request: RecordingStopMediaRequest): Promise<void> {
    this.ensureRunning();
    const signal = await this.recorder.finish(request, this.clock.now().toISOString());
    const { recordingId } = request;
    this.after(this.config.hangupDelayMs, () =>
      this.enqueue(recordingId, `recording ${recordingId} "finished"`, () =>
        this.sink.recordingSignal(signal),
      ),
    );
  }
  // --- end recording ---

  /** Conference actions handed over for a call, in order; each join/leave is recorded once. */
  actionsPlayed(callId: string): PlayedActions[] {
    return [...(this.played.get(callId) ?? [])];
  }

  /** Cancels every scheduled report and waits for those in flight, before the event store closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const task of this.pending) task.cancel();
    this.pending.clear();
    for (const wake of this.sleepers) wake();
    await Promise.all([...this.queues.values()]);
  }

  /** A retry pause that `onModuleDestroy` cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        task.cancel();
        this.sleepers.delete(wake);
        resolve();
      };
      const task = this.scheduler.schedule(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private ensureRunning(): void {
    // Rejected = not accepted: a reactor retries it after the next start.
    if (this.stopped) throw new Error('simulated media gateway is stopped');
  }

  private after(delayMs: number, report: () => void): ScheduledTask {
    const task = this.scheduler.schedule(() => {
      this.pending.delete(task);
      if (!this.stopped) report();
    }, delayMs);
    this.pending.add(task);
    return task;
  }

  private reportCall(call: CallLeg, signalId: string, step: ScriptStep): void {
    const { callId, customerId } = call;
    // Observed now, whenever the queue gets to deliver it.
    const at = this.clock.now().toISOString();
    this.enqueue(callId, `call ${callId} "${step.signal}"`, () =>
      this.sink.callSignal({
        callId,
        customerId,
        signalId,
        signal: step.signal,
        cause: step.cause,
        at,
      }),
    );
  }

  private reportControl(
    call: CallLeg,
    signalId: string,
    report: { kind: 'amd' | ControlStep['kind']; result: string | null; actionId: string | null },
  ): void {
    const { callId, customerId } = call;
    const at = this.clock.now().toISOString();
    this.enqueue(callId, `call ${callId} "${report.kind}"`, () =>
      this.sink.controlSignal({ callId, customerId, signalId, ...report, text: null, cause: null, at }),
    );
  }

  private reportConference(request: ConferenceLeg, signal: 'joined' | 'left') {
    const { callId, customerId, conferenceId, conferencecallId } = request;
    const at = this.clock.now().toISOString();
    this.enqueue(conferencecallId, `conferencecall ${conferencecallId} "${signal}"`, () =>
      this.sink.conferenceSignal({
        callId,
        customerId,
        conferenceId,
        conferencecallId,
        signalId: `sim-${conferencecallId}-${signal}`,
        signal,
        cause: null,
        at,
      }),
    );
  }

  private enqueue(key: string, what: string, send: () => Promise<void>): void {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(what, send));
    this.queues.set(key, next);
    void next.then(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
  }

  private async deliver(what: string, send: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await send();
        return;
      } catch (error) {
        const message = (error as Error).message;
        // A refused signal contradicts the record (e.g. `answered` after a hangup): expected in races.
        if (error instanceof DomainError && isFinal(error))
          return this.logger.warn(`signal for ${what} refused: ${message}`);
        if (attempt >= MAX_DELIVERY_ATTEMPTS || this.stopped)
          return this.logger.error(`signal for ${what} not delivered: ${message}`);
        await this.sleep(backoffDelay(attempt, DELIVERY_BACKOFF));
      }
    }
  }

  private record(phase: PlayedActions['phase'], request: ConferenceLeg, actions: readonly JsonObject[]) {
    const key = `${phase}:${request.conferencecallId}`;
    if (this.playedKeys.has(key)) return;
    this.playedKeys.add(key);
    const entry = {
      phase,
      conferenceId: request.conferenceId,
      conferencecallId: request.conferencecallId,
      actions: [...actions],
    };
    this.played.set(request.callId, [...(this.played.get(request.callId) ?? []), entry]);
  }
}
