import { v7 as uuidv7 } from 'uuid';
import { CommandExecutor } from '../src/command-handling/command-executor';
import type { ConferenceState } from '../src/conferences/conference';
import { type ConferenceCommand, conferenceDecider } from '../src/conferences/conference.decider';
import type { EventData } from '../src/event-store/event-store';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { pinToCores, runOnScratchStore } from './catchup-bench-lib';

/**
 * `npm run bench:long-stream`: what a reactor's `CommandExecutor.load` of a long conference stream costs
 * when one event was appended since this instance last folded it (what the kick, leave and signal sagas
 * do once per participant). A conference that had N participants over its life (an admit and a removal
 * each, 20 of them still in) is written to an embedded store file; then, ROUNDS times, one more admit is
 * appended by another writer and the stream is loaded by:
 *  - an executor with its state cache (the default): reads the events after the revision it folded;
 *  - an executor without it (`stateCacheSize: 0`): reads and folds the whole stream, as every load did
 *    before the cache was used by `load`.
 * The two alternate round by round, so the machine's noise falls on both. Environment: BENCH_STREAM_LENGTHS
 * (default `100,1000,10000` participants), BENCH_STREAM_ROUNDS (default 200), BENCH_STREAM_CPUS (default 0).
 */
const ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? 200);
const LENGTHS = (process.env.BENCH_STREAM_LENGTHS ?? '100,1000,10000').split(',').map(Number);
const STILL_IN = 20;
const conference = { conferenceId: 'long', customerId: 'c-bench', at: '2026-12-01T09:00:00.000Z' };
const metadata = { correlation_id: 'bench', causation_id: 'bench', customer_id: 'c-bench', actor: 'bench' };

/** The other writer: decides with the real decider on the state it folded, appends what it decided. */
class ConferenceWriter {
  private state: ConferenceState = conferenceDecider.initialState;
  private pending: EventData[] = [];

  constructor(
    private readonly store: SqliteEventStore,
    private readonly streamId: string,
  ) {}

  decide(command: ConferenceCommand): this {
    for (const event of conferenceDecider.decide(command, this.state)) {
      this.state = conferenceDecider.evolve(this.state, event);
      this.pending.push({ id: uuidv7(), type: event.type, data: event.data, metadata });
    }
    return this;
  }

  admit(n: number): this {
    const data = { ...conference, conferencecallId: `cc-${n}`, callId: `call-${n}` };
    return this.decide({ type: 'AdmitParticipant', data });
  }

  remove(n: number): this {
    return this.decide({ type: 'RemoveParticipant', data: { ...conference, conferencecallId: `cc-${n}` } });
  }

  async flush(): Promise<void> {
    for (let i = 0; i < this.pending.length; i += 1_000)
      await this.store.appendToStream(this.streamId, this.pending.slice(i, i + 1_000), {
        expectedRevision: 'any',
      });
    this.pending = [];
  }
}

/** A conference that had `participants` over its life, the last STILL_IN of them still in. */
async function seed(writer: ConferenceWriter, participants: number): Promise<void> {
  writer.decide({ type: 'CreateConference', data: { ...conference, conferenceType: 'conference' } });
  for (let n = 0; n < participants; n++) {
    writer.admit(n);
    if (n >= STILL_IN) writer.remove(n - STILL_IN);
  }
  await writer.flush();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(store: SqliteEventStore): Promise<void> {
  console.log(`long-stream bench: ${ROUNDS} rounds per length`);
  console.log(
    '| participants | events | cached load p50 / p99 µs | whole-stream load p50 / p99 µs | ratio p50 |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const participants of LENGTHS) {
    const streamId = `conference-long-${participants}`;
    const writer = new ConferenceWriter(store, streamId);
    await seed(writer, participants);
    const cached = new CommandExecutor(store, { newId: uuidv7 });
    const whole = new CommandExecutor(store, { newId: uuidv7 }, { stateCacheSize: 0 });
    const expected = await cached.load(conferenceDecider, streamId);
    const times = { cached: [] as number[], whole: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      await writer.admit(participants + round).flush();
      const order = round % 2 === 0 ? (['cached', 'whole'] as const) : (['whole', 'cached'] as const);
      const states = [];
      for (const which of order) {
        const started = process.hrtime.bigint();
        states.push(await (which === 'cached' ? cached : whole).load(conferenceDecider, streamId));
        times[which].push(Number(process.hrtime.bigint() - started) / 1e3);
      }
      if (
        states[0].revision !== states[1].revision ||
        states[0].state?.participants.length !== states[1].state?.participants.length
      )
        throw new Error(`round ${round}: the two loads disagree`);
    }
    const last = await whole.load(conferenceDecider, streamId);
    if (last.state?.participants.length !== (expected.state?.participants.length ?? 0) + ROUNDS)
      throw new Error('the folded participants do not add up');
    const c = times.cached.sort((a, b) => a - b);
    const w = times.whole.sort((a, b) => a - b);
    console.log(
      `| ${participants} | ${Number(last.revision) + 1} | ${percentile(c, 50).toFixed(0)} / ${percentile(c, 99).toFixed(0)} | ${percentile(w, 50).toFixed(0)} / ${percentile(w, 99).toFixed(0)} | ${(percentile(w, 50) / percentile(c, 50)).toFixed(1)}× |`,
    );
  }
}

const cpus = process.env.BENCH_STREAM_CPUS ?? '0';
if (pinToCores(cpus)) console.log(`pinned to cores ${cpus}`);
runOnScratchStore('sb-long-stream-', main);
