import { deepJson, hostileValue, plausibleBody, plausibleValue } from './hostile-values';
import type { FuzzRoute } from './openapi-routes';
import type { SeededRandom } from './seeded-random';

/** A request any HTTP client could send (through `fetch`). */
export interface HttpCase {
  kind: 'http';
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Bytes no HTTP client would send, written to a raw socket. */
export interface RawCase {
  kind: 'raw';
  name: string;
  bytes: Buffer;
}

export type FuzzCase = HttpCase | RawCase;

export interface FuzzTargets {
  /** Bearer keys by role; a request uses one of them, none or a forged one. */
  keys: { admin: string; user: string; media: string };
  /** Ids that exist (calls, conferences, participants, customers, keys), so routes get past the lookup. */
  ids: string[];
}

const INVALID_UTF8 = [
  Buffer.from([0xff, 0xfe, 0xfd]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xe2, 0x82]),
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=zz',
  'application/xml',
  'application/*',
  ';;;',
  '',
];

export function fuzzCase(random: SeededRandom, routes: FuzzRoute[], targets: FuzzTargets): FuzzCase {
  if (random.chance(0.1)) return rawCase(random, routes);
  const route = random.pick(routes);
  const headers: Record<string, string> = {};
  const key = random.pick(['user', 'user', 'user', 'admin', 'media', 'none', 'forged'] as const);
  if (key === 'forged')
    headers.authorization = random.pick([
      'Bearer ',
      'Basic abc',
      `Bearer ${random.text(300)}`,
      'Bearer sb_\u00ff',
    ]);
  else if (key !== 'none') headers.authorization = `Bearer ${targets.keys[key]}`;
  if (random.chance(0.2))
    headers['if-match'] = random.pick([
      '"0"',
      '"1"',
      '*',
      'W/"1"',
      '"-1"',
      '"99999999999999999999999"',
      random.text(20),
      '""',
    ]);
  if (random.chance(0.2))
    headers['idempotency-key'] = random.pick([random.text(12), random.text(300), ' ', 'key\u00e9']);
  if (random.chance(0.1))
    headers[random.pick(['x-forwarded-for', 'accept', 'accept-encoding', 'x-request-id', 'traceparent'])] =
      random.pick([random.text(2_000), '\u00ff\u00fe', '*/*;q=abc', '00-zz-zz-01']);
  return {
    kind: 'http',
    method: random.chance(0.03) ? random.pick(['PATCH', 'PUT', 'OPTIONS', 'HEAD', 'PROPFIND']) : route.method,
    url: urlOf(random, route, targets),
    headers,
    ...bodyOf(random, route, targets, headers),
  };
}

function urlOf(random: SeededRandom, route: FuzzRoute, targets: FuzzTargets): string {
  let path = route.path;
  for (const name of route.pathParams) {
    const value = random.chance(0.6)
      ? random.pick(targets.ids)
      : random.pick([
          seededUuid(random),
          random.pick(targets.ids).toUpperCase(),
          random.text(40),
          '%E0%A4%A',
          '%00',
          '..%2F..%2F',
          random.text(5_000),
          '😀',
          ' ',
        ]);
    path = path.replace(`{${name}}`, /^[\w%.-]*$/.test(value) ? value : percentEncoded(value));
  }
  const query: string[] = [];
  for (const parameter of route.query) {
    if (random.chance(0.5)) continue;
    const value = random.chance(0.7)
      ? plausibleValue(random, parameter.schema, targets.ids)
      : hostileValue(random);
    query.push(
      `${parameter.name}=${percentEncoded(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))}`,
    );
    if (random.chance(0.05)) query.push(`${parameter.name}=${random.text(4)}`);
  }
  if (random.chance(0.05))
    query.push(
      random.pick(['__proto__[x]=1', 'constructor[prototype][x]=1', `${random.text(5)}=1`, '%ff=%fe', '&&&']),
    );
  return query.length ? `${path}?${query.join('&')}` : path;
}

function bodyOf(
  random: SeededRandom,
  route: FuzzRoute,
  targets: FuzzTargets,
  headers: Record<string, string>,
): { body?: string | Buffer } {
  if (!route.body && random.chance(0.8)) return {};
  headers['content-type'] = random.chance(0.85) ? 'application/json' : random.pick(CONTENT_TYPES);
  switch (random.int(10)) {
    case 0:
      return { body: deepJson(random, random.pick([40, 500, 2_000, 10_000])) };
    case 1:
      return {
        body: Buffer.concat([
          Buffer.from('{"name":"'),
          random.pick(INVALID_UTF8),
          Buffer.from('","type":"conference"}'),
        ]),
      };
    case 2:
      return {
        body: random.pick([
          '',
          '{',
          '{"a":1,}',
          'null',
          '[]',
          '"x"',
          '1e999',
          '{"type":"conference","type":1}',
          '\ufeff{}',
          'tru',
        ]),
      };
    case 3:
      return { body: JSON.stringify(hostileValue(random)) ?? 'null' };
    case 4:
      return {
        body: JSON.stringify({
          ...plausibleBody(random, route.body ?? {}, targets.ids),
          pad: random.text(random.pick([10_000, 70_000])),
        }),
      };
    default:
      return { body: JSON.stringify(plausibleBody(random, route.body ?? {}, targets.ids)) };
  }
}

function rawCase(random: SeededRandom, routes: FuzzRoute[]): RawCase {
  const path = random.pick(routes).path.replace(/\{\w+\}/g, seededUuid(random));
  const cases: [string, string | Buffer][] = [
    ['garbage request line', `${random.text(30)}\r\n\r\n`],
    ['no Host on HTTP/1.1', `GET ${path} HTTP/1.1\r\n\r\n`],
    ['HTTP/0.9', `GET ${path}\r\n\r\n`],
    ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['unknown method', `BREW ${path} HTTP/1.1\r\nHost: x\r\n\r\n`],
    [
      'bad chunk size',
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    ],
    [
      'both Content-Length and chunked',
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    ],
    ['negative Content-Length', `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`],
    [
      'two Content-Lengths',
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
    ],
    [
      'short body then close',
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`,
    ],
    ['NUL in header', `GET ${path} HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n`],
    ['obsolete line folding', `GET ${path} HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n`],
    ['space before colon', `GET ${path} HTTP/1.1\r\nHost : x\r\n\r\n`],
    ['huge URL', `GET ${path}?q=${random.text(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    [
      'many headers',
      `GET ${path} HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3_000 }, (_, i) => `X-${i}: ${i}`).join('\r\n')}\r\n\r\n`,
    ],
    [
      'latin-1 bytes in the path',
      Buffer.concat([Buffer.from('GET /v1/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1')]),
    ],
    ['pipelined requests', `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\nGET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['lone LF line ends', `GET ${path} HTTP/1.1\nHost: x\n\n`],
  ];
  const [name, bytes] = random.pick(cases);
  return { kind: 'raw', name, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1') };
}

/** A well-formed UUIDv7 nobody created. */
function seededUuid(random: SeededRandom): string {
  const hex = random.text(32, '0123456789abcdef');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Percent-encodes the UTF-8 bytes; unlike `encodeURIComponent`, lone surrogates do not throw. */
function percentEncoded(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(char) ? char : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return out;
}
