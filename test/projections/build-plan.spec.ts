import { planBuilds } from '../../src/projections/build-plan';
import type { BuildRecord } from '../../src/projections/projection-catalog';

const build = (version: number, generation: number, checkpoint: bigint | null = null): BuildRecord => ({
  name: 'call-log',
  version,
  generation,
  tables: [`call_log_v${version}_calls`],
  checkpoint,
});
const active = (version: number, generation = 0) => ({ name: 'call-log', version, generation });

describe('planBuilds', () => {
  it('makes the newest version active at once when nothing serves yet', () => {
    expect(planBuilds('call-log', 2, null, [])).toEqual({
      active: { name: 'call-log', version: 2, generation: 0, isNew: true },
      pending: null,
      leftovers: [],
    });
  });

  it('keeps the active build and nothing else when the version is unchanged', () => {
    const plan = planBuilds('call-log', 1, active(1), [build(1, 0, 10n)]);
    expect(plan).toEqual({ active: { ...active(1), isNew: false }, pending: null, leftovers: [] });
  });

  it('plans a fresh build of a newer version', () => {
    const plan = planBuilds('call-log', 2, active(1), [build(1, 0, 10n)]);
    expect(plan.pending).toEqual({ name: 'call-log', version: 2, generation: 0 });
    expect(plan.leftovers).toEqual([]);
  });

  it('resumes an interrupted build of the newer version from its record', () => {
    const plan = planBuilds('call-log', 2, active(1), [build(1, 0, 10n), build(2, 0, 4n)]);
    expect(plan.pending).toEqual(build(2, 0, 4n));
  });

  it('resumes an interrupted rebuild of the same version', () => {
    const plan = planBuilds('call-log', 1, active(1), [build(1, 0, 10n), build(1, 1, 3n)]);
    expect(plan.pending).toEqual(build(1, 1, 3n));
  });

  it('drops builds of abandoned versions and old rebuilds', () => {
    const abandoned = build(3, 0, 7n); // v3 was deployed, then rolled back to v2 code
    const stale = build(1, 0, 9n); // the old version left behind by a switch cut short
    const plan = planBuilds('call-log', 2, active(2, 1), [stale, build(2, 1, 12n), abandoned]);
    expect(plan.pending).toBeNull();
    expect(plan.leftovers).toEqual([stale, abandoned]);
  });
});
