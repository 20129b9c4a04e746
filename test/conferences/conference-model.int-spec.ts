import fc from 'fast-check';
import { FixedClock } from '../support/fixed-clock';
import { alwaysViolations, readModelViolations, settledViolations } from './conference-invariants';
import { type Action, ConferenceWorld } from './conference-world';

/**
 * Model-based property test (issue 4): random interleavings of calls (make, answer, hang up from either
 * end), conferences (create, stop), joins, kicks, media reports (late, duplicated, out of order), timer
 * firings, and pairs of them in flight at once, through the real command handlers, sagas and timers on the
 * in-memory store. After every step: no call in two conferences, no participant joined in a terminated
 * conference, conference lists agree with the calls. Once settled: every hung-up call's participant has
 * left, no conference stays terminating, the read models equal the aggregates.
 *
 * CONFERENCE_MODEL_RUNS / CONFERENCE_MODEL_STEPS scale it for long runs (bounded by default for npm test).
 */
const RUNS = Number(process.env.CONFERENCE_MODEL_RUNS ?? 12);
const STEPS = Number(process.env.CONFERENCE_MODEL_STEPS ?? 30);
const SEED = process.env.CONFERENCE_MODEL_SEED ? Number(process.env.CONFERENCE_MODEL_SEED) : undefined;

const index = fc.nat({ max: 3 });
const single: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.boolean().map((answered) => ({ kind: 'makeCall' as const, answered })) },
  { weight: 1, arbitrary: index.map((call) => ({ kind: 'answer' as const, call })) },
  { weight: 1, arbitrary: index.map((call) => ({ kind: 'remoteHangup' as const, call })) },
  { weight: 1, arbitrary: index.map((call) => ({ kind: 'localHangup' as const, call })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('createConference' as const),
      type: fc.constantFrom('conference' as const, 'connect' as const),
      max: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      timeout: fc.constantFrom(0, 0, 45, 200),
    }),
  },
  { weight: 1, arbitrary: index.map((conference) => ({ kind: 'stop' as const, conference })) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('join' as const), call: index, conference: index }) },
  { weight: 2, arbitrary: index.map((participant) => ({ kind: 'kick' as const, participant })) },
  { weight: 3, arbitrary: index.map((participant) => ({ kind: 'mediaJoined' as const, participant })) },
  { weight: 2, arbitrary: index.map((participant) => ({ kind: 'mediaLeft' as const, participant })) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 70 }).map((seconds) => ({ kind: 'advance' as const, seconds })),
  },
);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: single },
  {
    weight: 1,
    arbitrary: fc
      .tuple(single, single)
      .map(([first, second]) => ({ kind: 'together' as const, first, second })),
  },
);

const CUSTOMER = '00000000-0000-7000-8000-00000000c001';
const SETUP: Action[] = [
  { kind: 'createConference', type: 'conference', max: null, timeout: 0 },
  { kind: 'createConference', type: 'connect', max: null, timeout: 0 },
  { kind: 'makeCall', answered: true },
  { kind: 'makeCall', answered: true },
  { kind: 'makeCall', answered: true },
];

describe('conferences under random interleavings (model-based)', () => {
  const totals = { runs: 0, steps: 0, startedMs: Date.now() };
  afterAll(() => {
    // Long runs (env-scaled) say how much they covered, for docs.
    if (process.env.CONFERENCE_MODEL_RUNS)
      process.stderr.write(
        `conference model: ${totals.runs} runs, ${totals.steps} steps, ${Math.round((Date.now() - totals.startedMs) / 1000)} s\n`,
      );
  });

  it(
    'keeps every invariant after every step, and settles consistently',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(action, { minLength: 5, maxLength: STEPS, size: 'max' }),
          async (actions) => {
            // A fresh app per run: checks read the whole store, and a failure replays alone.
            const clock = new FixedClock('2026-03-01T00:00:00.000Z');
            const moduleRef = await ConferenceWorld.start(clock);
            try {
              const world = ConferenceWorld.for(moduleRef, clock, CUSTOMER);
              // A stage to start from, so the random steps act on things that exist.
              for (const step of SETUP) await world.apply(step);
              totals.runs++;
              for (const step of actions) {
                totals.steps += step.kind === 'together' ? 2 : 1;
                await world.apply(step);
                expect(alwaysViolations(await ConferenceWorld.snapshot(moduleRef))).toEqual([]);
              }
              await ConferenceWorld.settle(moduleRef, clock);
              const settled = await ConferenceWorld.snapshot(moduleRef);
              expect(settledViolations(settled)).toEqual([]);
              expect(await readModelViolations(moduleRef, settled)).toEqual([]);
            } finally {
              await moduleRef.close();
            }
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    Math.max(600_000, RUNS * STEPS * 200),
  );
});
