import { type Call, type CallEvent, evolve, initialState } from '../../src/calls/call';
import {
  answered,
  assigned,
  chained,
  created,
  hangupRequested,
  hungUp,
  rang,
  released,
} from './call-fixtures';

const foldAll = (events: CallEvent[]) => events.reduce(evolve, initialState) as Call;

describe('Call evolve: every event after the creation touches the call, and the stored shape does not move', () => {
  const life: CallEvent[] = [
    created(),
    rang('sig-1', '2026-01-01T00:00:02.000Z'),
    answered('sig-2', '2026-01-01T00:00:05.000Z'),
    assigned('conf-1', 'cc-1', '2026-01-01T00:00:10.000Z'),
    released('conf-1', 'cc-1', '2026-01-01T00:00:15.000Z'),
    chained('call-child', '2026-01-01T00:00:20.000Z'),
    hangupRequested('terminating', 'normal', '2026-01-01T00:00:30.000Z'),
    hungUp(),
  ];

  it.each(life.slice(1).map((event, i) => [event.type, i + 1] as const))(
    '%s sets tmUpdate to its own time',
    (_type, n) => {
      const state = foldAll(life.slice(0, n + 1));
      expect(state.tmUpdate).toBe((life[n].data as { at: string }).at);
    },
  );

  it('keeps the key order of the created state (the call-history row stores its JSON)', () => {
    const keys = Object.keys(foldAll(life.slice(0, 1)));
    for (let n = 2; n <= life.length; n++) expect(Object.keys(foldAll(life.slice(0, n)))).toEqual(keys);
  });

  it('does not change the state it was given', () => {
    const before = foldAll(life.slice(0, 3));
    const copy = JSON.stringify(before);
    evolve(before, life[3]);
    evolve(before, hungUp());
    expect(JSON.stringify(before)).toBe(copy);
  });
});
