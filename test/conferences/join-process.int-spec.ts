import { callDecider } from '../../src/calls/call.decider';
import { callStreamId } from '../../src/calls/call-stream';
import type {
  ConferenceJoinRequest,
  ConferenceLeaveRequest,
  MediaGateway,
} from '../../src/calls/media-gateway/media-gateway.port';
import { CommandExecutor, type ExecuteRequest } from '../../src/command-handling/command-executor';
import type { CommandMetadata } from '../../src/command-handling/command-metadata';
import { CommandRunner } from '../../src/command-handling/command-runner';
import type { ReadYourWrites } from '../../src/command-handling/read-your-writes';
import { conferenceDecider } from '../../src/conferences/conference.decider';
import { conferenceStreamId } from '../../src/conferences/conference-stream';
import { conferencecallStreamId } from '../../src/conferences/conferencecall';
import { conferencecallDecider } from '../../src/conferences/conferencecall.decider';
import { JoinProcess } from '../../src/conferences/join-conference/join-process';
import { ParticipantCleanup } from '../../src/conferences/join-conference/participant-cleanup';
import type { DomainEvent } from '../../src/domain/decider';
import { DomainError } from '../../src/domain/domain-error';
import type { EventStore } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { FixedClock, SequentialIds } from '../support/fixed-clock';

const CUSTOMER = '00000000-0000-7000-8000-00000000c001';
const CONF = '00000000-0000-7000-8000-0000000000f1';
const OTHER_CONF = '00000000-0000-7000-8000-0000000000f2';
const CALL = '00000000-0000-7000-8000-0000000ca001';
const CC = '00000000-0000-7000-8000-0000000cc001';
const OTHER_CC = '00000000-0000-7000-8000-0000000cc002';
const META: CommandMetadata = {
  correlationId: 'c',
  causationId: 'c',
  customerId: CUSTOMER,
  actor: 'key:test',
};
const TALK = { type: 'talk', option: { text: 'Welcome' } };

/** An executor that runs a hook right after a given command type, to interleave a concurrent writer. */
class InterleavingExecutor extends CommandExecutor {
  readonly after = new Map<string, () => Promise<void>>();

  override async execute<C, E extends DomainEvent, S>(request: ExecuteRequest<C, E, S>) {
    const outcome = await super.execute(request);
    const type = (request.command as { type: string }).type;
    const hook = this.after.get(type);
    this.after.delete(type);
    await hook?.();
    return outcome;
  }
}

class RecordingGateway implements Pick<MediaGateway, 'joinConference' | 'leaveConference'> {
  joins: ConferenceJoinRequest[] = [];
  refuse = false;
  async joinConference(request: ConferenceJoinRequest) {
    if (this.refuse) throw new Error('bridge down');
    this.joins.push(request);
  }
  async leaveConference(_: ConferenceLeaveRequest) {}
}

describe('join process', () => {
  let store: EventStore;
  let executor: InterleavingExecutor;
  let gateway: RecordingGateway;
  let process: JoinProcess;
  const clock = new FixedClock('2026-01-01T00:00:00.000Z');
  const at = () => clock.now().toISOString();

  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    executor = new InterleavingExecutor(store, new SequentialIds());
    gateway = new RecordingGateway();
    const readYourWrites = { waitFor: async () => {} } as unknown as ReadYourWrites;
    process = new JoinProcess(
      executor,
      new CommandRunner(executor, readYourWrites),
      new ParticipantCleanup(executor, clock),
      clock,
      gateway as unknown as MediaGateway,
    );
    for (const conferenceId of [CONF, OTHER_CONF])
      await executor.execute({
        decider: conferenceDecider,
        streamId: conferenceStreamId(conferenceId),
        command: {
          type: 'CreateConference',
          data: {
            conferenceId,
            customerId: CUSTOMER,
            at: at(),
            conferenceType: 'conference',
            preActions: [TALK],
          },
        },
        metadata: META,
      });
    const call = (command: Parameters<typeof callDecider.decide>[0]) =>
      executor.execute({ decider: callDecider, streamId: callStreamId(CALL), command, metadata: META });
    await call({
      type: 'MakeCall',
      data: { callId: CALL, customerId: CUSTOMER, at: at(), contactId: 'bob' },
    });
    await call({
      type: 'ReportSignal',
      data: { callId: CALL, customerId: CUSTOMER, signalId: 's1', signal: 'answered', at: at() },
    });
  });
  afterEach(() => store.close());

  const types = async (streamId: string) => {
    const found: string[] = [];
    for await (const event of store.readStream(streamId)) found.push(event.type);
    return found;
  };
  const ref = { conferencecallId: CC, conferenceId: CONF, callId: CALL, customerId: CUSTOMER };
  const participantStatus = async () =>
    (await executor.load(conferencecallDecider, conferencecallStreamId(CC))).state?.status;
  const membership = async () => (await executor.load(callDecider, callStreamId(CALL))).state;

  it('starts, admits, assigns, then asks the gateway to join with the pre actions', async () => {
    const outcome = await process.join(ref, META);
    expect(outcome.state!.status).toBe('joining');
    expect(await types(conferencecallStreamId(CC))).toEqual(['ConferencecallJoinStarted']);
    expect(await types(conferenceStreamId(CONF))).toEqual([
      'ConferenceCreated',
      'ConferenceParticipantAdmitted',
    ]);
    expect((await types(callStreamId(CALL))).at(-1)).toBe('CallAssignedToConference');
    expect(gateway.joins).toEqual([
      { callId: CALL, customerId: CUSTOMER, conferenceId: CONF, conferencecallId: CC, preActions: [TALK] },
    ]);
    expect(outcome.position).toBe(await store.headPosition());
  });

  it('a call taken by another conference after the preflight: abort, roll the admission back, 409', async () => {
    executor.after.set('AdmitParticipant', async () => {
      await executor.execute({
        decider: callDecider,
        streamId: callStreamId(CALL),
        command: {
          type: 'AssignConference',
          data: {
            callId: CALL,
            customerId: CUSTOMER,
            conferenceId: OTHER_CONF,
            conferencecallId: OTHER_CC,
            at: at(),
          },
        },
        metadata: META,
      });
    });
    await expect(process.join(ref, META)).rejects.toMatchObject({ code: 'call.already_in_conference' });
    expect(await types(conferencecallStreamId(CC))).toEqual([
      'ConferencecallJoinStarted',
      'ConferencecallJoinAborted',
    ]);
    expect(await types(conferenceStreamId(CONF))).toEqual([
      'ConferenceCreated',
      'ConferenceParticipantAdmitted',
      'ConferenceParticipantRemoved',
    ]);
    // The other participation is untouched: the release names the conferencecall, not only the call.
    expect(await membership()).toMatchObject({
      conference: { conferenceId: OTHER_CONF, conferencecallId: OTHER_CC },
    });
    expect(gateway.joins).toEqual([]);
  });

  it('a conference stopped after the preflight: abort at admission, 409', async () => {
    executor.after.set('StartJoining', async () => {
      await executor.execute({
        decider: conferenceDecider,
        streamId: conferenceStreamId(CONF),
        command: { type: 'StopConference', data: { conferenceId: CONF, customerId: CUSTOMER, at: at() } },
        metadata: META,
      });
    });
    await expect(process.join(ref, META)).rejects.toMatchObject({ code: 'conference.not_accepting_joins' });
    expect(await participantStatus()).toBe('leaved');
    expect(await membership()).toMatchObject({ conference: null });
  });

  it('kicked during the join: stops before the gateway (the kick saga takes it out)', async () => {
    executor.after.set('AssignConference', async () => {
      await executor.execute({
        decider: conferencecallDecider,
        streamId: conferencecallStreamId(CC),
        command: { type: 'Kick', data: { conferencecallId: CC, customerId: CUSTOMER, at: at() } },
        metadata: META,
      });
    });
    const outcome = await process.join(ref, META);
    expect(outcome.state!.status).toBe('leaving');
    expect(gateway.joins).toEqual([]);
  });

  it('left during the join (hangup saga ran before steps 2-3 wrote): the clean-up runs again', async () => {
    executor.after.set('AssignConference', async () => {
      await executor.execute({
        decider: conferencecallDecider,
        streamId: conferencecallStreamId(CC),
        command: { type: 'ConfirmLeft', data: { conferencecallId: CC, customerId: CUSTOMER, at: at() } },
        metadata: META,
      });
    });
    const outcome = await process.join(ref, META);
    expect(outcome.state!.status).toBe('leaved');
    expect((await types(conferenceStreamId(CONF))).at(-1)).toBe('ConferenceParticipantRemoved');
    expect(await membership()).toMatchObject({ conference: null });
    expect(gateway.joins).toEqual([]);
  });

  it('the gateway refuses: abort, remove, release, and answer 503', async () => {
    gateway.refuse = true;
    const error = await process.join(ref, META).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'media.join_refused' });
    expect(await participantStatus()).toBe('leaved');
    expect((await types(conferenceStreamId(CONF))).at(-1)).toBe('ConferenceParticipantRemoved');
    expect(await membership()).toMatchObject({ conference: null });
  });

  it('refuses before writing anything when the preflight fails (the same call again)', async () => {
    await process.join(ref, META);
    const headBefore = await store.headPosition();
    const second = { ...ref, conferencecallId: OTHER_CC };
    await expect(process.join(second, META)).rejects.toMatchObject({
      code: 'conference.call_already_participant',
    });
    expect(await store.headPosition()).toBe(headBefore);
  });
});
