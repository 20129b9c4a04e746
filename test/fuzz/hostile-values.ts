import type { JsonSchema } from './openapi-routes';
import type { SeededRandom } from './seeded-random';

/** JSON text nested `levels` deep, in a few shapes. */
export function deepJson(random: SeededRandom, levels: number): string {
  const [open, close] = random.pick([
    ['[', ']'],
    ['{"a":', '}'],
    ['[{"x":', '}]'],
  ]);
  return open.repeat(levels) + random.pick(['1', 'null', '"x"', '{}']) + close.repeat(levels);
}

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(50),
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, meant literally
  '${jndi:ldap://x}',
  '{{7*7}}',
  'NaN',
  'Infinity',
  '-0',
  '1e999',
  '99999999999999999999999999',
  'true',
  'null',
  '__proto__',
  'constructor',
  '2026-13-45T25:61:61.000Z',
  '0000-00-00T00:00:00Z',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-7FFF-BFFF-FFFFFFFFFFFF',
  '\r\nX-Injected: 1',
];

const ODD_NUMBERS = [
  0,
  -1,
  1.5,
  -0,
  2 ** 31,
  2 ** 53 + 1,
  -(2 ** 63),
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  // Seconds past what a Date holds when added to now (a conference timeout of 1e13 was a 500).
  1e13,
];

/** A value of any JSON type, chosen to break assumptions: odd strings and numbers, nesting, proto keys. */
export function hostileValue(random: SeededRandom, depth = 0): unknown {
  switch (random.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return random.pick(ODD_STRINGS);
    case 2:
      return random.pick(ODD_NUMBERS);
    case 3:
      return random.chance(0.5);
    case 4:
      return random.text(random.pick([1, 64, 5_000, 70_000]));
    case 5:
      return random.text(8);
    case 6:
      return Array.from({ length: random.int(4) }, () => hostileValue(random, depth + 1));
    case 7:
      return JSON.parse(`{"__proto__": ${JSON.stringify(hostileValue(random, depth + 1)) ?? 'null'}}`);
    default:
      return Object.fromEntries(
        Array.from({ length: random.int(4) }, () => [
          random.pick(['a', 'constructor', 'prototype', 'type', 'id', random.text(5)]),
          hostileValue(random, depth + 1),
        ]),
      );
  }
}

/** A value that fits `schema` as far as its type goes, so most requests get past the first check. */
export function plausibleValue(random: SeededRandom, schema: JsonSchema, ids: string[], depth = 0): unknown {
  if (schema.enum) return random.pick(schema.enum);
  if (schema.format === 'uuid') return random.pick(ids);
  if (schema.format === 'date-time') return new Date(Date.UTC(2026, 0, 1) + random.int(1e9)).toISOString();
  switch (schema.type) {
    case 'number':
    case 'integer':
      return (
        (schema.minimum ?? 0) +
        random.int(Math.min(1000, (schema.maximum ?? 1000) - (schema.minimum ?? 0) + 1))
      );
    case 'boolean':
      return random.chance(0.5);
    case 'array':
      return depth > 3
        ? []
        : Array.from({ length: random.int(3) }, () =>
            plausibleValue(random, schema.items ?? {}, ids, depth + 1),
          );
    case 'string':
      return random.text(1 + random.int(12));
    default:
      if (!schema.properties || depth > 3) return {};
      return plausibleBody(random, schema, ids, depth + 1);
  }
}

/** An object of the schema's properties, some left out, some replaced by hostile values, some extra. */
export function plausibleBody(
  random: SeededRandom,
  schema: JsonSchema,
  ids: string[],
  depth = 0,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (random.chance(0.3)) continue;
    body[name] = random.chance(0.15) ? hostileValue(random) : plausibleValue(random, property, ids, depth);
  }
  if (random.chance(0.1)) body[random.text(6)] = hostileValue(random);
  return body;
}
