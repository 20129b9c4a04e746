import type { RecordedEvent } from '../../src/event-store/event-store';
import { committedEvent, RecentEvents } from '../../src/event-store/sqlite/recent-events';

const event = (position: number, type = 'Happened'): RecordedEvent =>
  committedEvent(
    `s-${position}`,
    0n,
    BigInt(position),
    `id-${position}`,
    type,
    '{"n":1}',
    '{"actor":"t"}',
    new Date(0),
  );
const positions = (events: RecordedEvent[] | null) => events?.map((e) => Number(e.position)) ?? null;

describe('RecentEvents (the in-memory tail of $all)', () => {
  it('answers what came after a position it covers, up to a limit', () => {
    const recent = new RecentEvents();
    recent.add([event(5), event(6), event(7)]);
    expect(positions(recent.after(4n, 10))).toEqual([5, 6, 7]);
    expect(positions(recent.after(5n, 1))).toEqual([6]);
  });

  it('says it cannot tell before its first event and at its end', () => {
    const recent = new RecentEvents();
    expect(recent.after(0n, 10)).toBeNull();
    recent.add([event(5), event(6)]);
    expect(recent.after(3n, 10)).toBeNull();
    expect(recent.after(6n, 10)).toBeNull();
  });

  it('restarts after a gap (another process wrote in between)', () => {
    const recent = new RecentEvents();
    recent.add([event(5), event(6)]);
    recent.add([event(9)]);
    expect(recent.after(6n, 10)).toBeNull();
    expect(recent.after(8n, 10)?.map((e) => e.position)).toEqual([9n]);
  });

  it('skips system events, and leaves a tail of only system events to SQLite', () => {
    const recent = new RecentEvents();
    recent.add([event(1), event(2, '$metadata'), event(3), event(4, '$metadata')]);
    expect(positions(recent.after(0n, 10))).toEqual([1, 3]);
    expect(recent.after(3n, 10)).toBeNull();
  });

  it('shares frozen events so one subscriber cannot change what another sees', () => {
    const shared = event(1);
    expect(Object.isFrozen(shared)).toBe(true);
    expect(Object.isFrozen(shared.data)).toBe(true);
    expect(() => {
      (shared.data as { n: number }).n = 2;
    }).toThrow(TypeError);
  });
});
