import { withEntry } from '../../src/domain/with-entry';

describe('withEntry (a map keyed by ids, one entry more)', () => {
  it('is the spread it replaces: a copy with the entry, the original untouched, the same JSON', () => {
    const before: Record<string, string> = { 'signal-1': 'ringing' };
    const after = withEntry(before, 'signal-2', 'answered');
    expect(after).toEqual({ 'signal-1': 'ringing', 'signal-2': 'answered' });
    expect(before).toEqual({ 'signal-1': 'ringing' });
    expect(JSON.stringify(after)).toBe(JSON.stringify({ ...before, 'signal-2': 'answered' }));
    expect(JSON.parse(JSON.stringify(after))).toEqual(after);
  });

  it('replaces an entry already there, keeping the order of the keys', () => {
    const after = withEntry({ a: 'ringing', b: 'answered' }, 'a', 'hangup');
    expect(Object.entries(after)).toEqual([
      ['a', 'hangup'],
      ['b', 'answered'],
    ]);
  });

  it('an id named like an Object member is absent until it is added', () => {
    const map = withEntry<string>({}, 'signal-1', 'ringing');
    expect(map.constructor).toBeUndefined();
    expect(withEntry(map, 'constructor', 'answered').constructor).toBe('answered');
  });
});
