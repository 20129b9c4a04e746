import { nestingDepth } from '../../src/http/json-body-parser';

describe('JSON nesting depth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['[[[]],[[[]]]]', 4],
  ])('%s is %d deep', (json, depth) => {
    expect(nestingDepth(json)).toBe(depth);
  });

  it('brackets inside strings, escaped quotes included, do not count', () => {
    expect(nestingDepth('{"a":"[[[{{{","b":"\\"[[[","c":[1]}')).toBe(2);
  });
});
