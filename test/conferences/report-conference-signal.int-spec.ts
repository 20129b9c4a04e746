import type { ConferenceLeaveRequest, MediaGateway } from '../../src/calls/media-gateway/media-gateway.port';
import { CommandExecutor } from '../../src/command-handling/command-executor';
import type { CommandMetadata } from '../../src/command-handling/command-metadata';
import { CommandRunner } from '../../src/command-handling/command-runner';
import type { ReadYourWrites } from '../../src/command-handling/read-your-writes';
import { conferenceDecider } from '../../src/conferences/conference.decider';
import { ReportConferenceSignalCommand } from '../../src/conferences/conference-signals/report-conference-signal.command';
import { ReportConferenceSignalHandler } from '../../src/conferences/conference-signals/report-conference-signal.handler';
import { conferenceStreamId } from '../../src/conferences/conference-stream';
import { conferencecallStreamId } from '../../src/conferences/conferencecall';
import { conferencecallDecider } from '../../src/conferences/conferencecall.decider';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { FixedClock, SequentialIds } from '../support/fixed-clock';

const CUSTOMER = '00000000-0000-7000-8000-00000000c001';
const CONF = '00000000-0000-7000-8000-0000000000f1';
const CALL = '00000000-0000-7000-8000-0000000ca001';
const CC = '00000000-0000-7000-8000-0000000cc001';
const META: CommandMetadata = {
  correlationId: 'c',
  causationId: 'c',
  customerId: CUSTOMER,
  actor: 'media:test',
};
const BYE = { type: 'talk', option: { text: 'Bye' } };

describe('media reports on a participant', () => {
  let store: SqliteEventStore;
  let executor: CommandExecutor;
  let leaves: ConferenceLeaveRequest[];
  let handler: ReportConferenceSignalHandler;
  const clock = new FixedClock('2026-01-01T00:00:00.000Z');
  const at = () => clock.now().toISOString();
  const ref = { conferencecallId: CC, customerId: CUSTOMER };

  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    executor = new CommandExecutor(store, new SequentialIds());
    leaves = [];
    const gateway = { leaveConference: async (request: ConferenceLeaveRequest) => void leaves.push(request) };
    const readYourWrites = { waitFor: async () => {} } as unknown as ReadYourWrites;
    handler = new ReportConferenceSignalHandler(
      new CommandRunner(executor, readYourWrites),
      executor,
      clock,
      gateway as unknown as MediaGateway,
    );
    await executor.execute({
      decider: conferenceDecider,
      streamId: conferenceStreamId(CONF),
      command: {
        type: 'CreateConference',
        data: {
          conferenceId: CONF,
          customerId: CUSTOMER,
          at: at(),
          conferenceType: 'conference',
          postActions: [BYE],
        },
      },
      metadata: META,
    });
    await participant({
      type: 'StartJoining',
      data: { ...ref, at: at(), conferenceId: CONF, referenceType: 'call', referenceId: CALL },
    });
  });
  afterEach(() => store.close());

  const participant = (command: Parameters<typeof conferencecallDecider.decide>[0]) =>
    executor.execute({
      decider: conferencecallDecider,
      streamId: conferencecallStreamId(CC),
      command,
      metadata: META,
    });
  const report = (signal: 'joined' | 'left') =>
    handler.execute(new ReportConferenceSignalCommand(CC, signal, META));

  it('joined, then left: the participant moves forward and nothing else is asked', async () => {
    expect((await report('joined')).state?.status).toBe('joined');
    expect((await report('joined')).events).toEqual([]);
    expect((await report('left')).state?.status).toBe('leaved');
    expect(leaves).toEqual([]);
  });

  it.each(['leaving', 'leaved'])(
    'a late joined for a %s participant is ignored, and the leave asked again',
    async (status) => {
      await participant({ type: 'Kick', data: { ...ref, at: at() } });
      if (status === 'leaved') await participant({ type: 'ConfirmLeft', data: { ...ref, at: at() } });
      const outcome = await report('joined');
      expect(outcome.events).toEqual([]);
      expect(outcome.state?.status).toBe(status);
      expect(leaves).toEqual([
        { callId: CALL, customerId: CUSTOMER, conferenceId: CONF, conferencecallId: CC, postActions: [BYE] },
      ]);
    },
  );

  it("refuses another tenant's participant as unknown", async () => {
    const foreign = { ...META, customerId: '00000000-0000-7000-8000-00000000c002' };
    await expect(
      handler.execute(new ReportConferenceSignalCommand(CC, 'left', foreign)),
    ).rejects.toMatchObject({
      code: 'conferencecall.not_found',
    });
  });
});
