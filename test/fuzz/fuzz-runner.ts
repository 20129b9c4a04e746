import { rawExchange } from '../http/raw-http';
import { type FuzzCase, type FuzzTargets, fuzzCase, type HttpCase } from './fuzz-cases';
import type { FuzzRoute } from './openapi-routes';
import { SeededRandom } from './seeded-random';

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export interface FuzzFinding {
  case: string;
  status: number | 'timeout' | 'transport';
  excerpt: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  /** Answers by status class (`2xx`, `4xx`...), raw socket exchanges included. */
  statuses: Record<string, number>;
  /** Requests `fetch` refused to send (header values it cannot encode): not sent, not counted as answers. */
  unsendable: number;
  /** 5xx answers, stack traces, hangs and resets of ordinary requests. */
  findings: FuzzFinding[];
  seconds: number;
}

/** What a body must never show: frames of a stack trace or a path of ours. */
const STACK_TRACE = /\bat [\w$.<>]+ \(|\.(ts|js):\d+:\d+|node_modules\/|\/src\//;
const ANSWER_TIMEOUT_MS = 15_000;

export async function runFuzz(
  baseUrl: string,
  routes: FuzzRoute[],
  targets: FuzzTargets,
  options: FuzzOptions,
): Promise<FuzzReport> {
  const random = new SeededRandom(options.seed);
  const report: FuzzReport = {
    seed: options.seed,
    cases: options.cases,
    statuses: {},
    unsendable: 0,
    findings: [],
    seconds: 0,
  };
  const started = Date.now();
  let generated = 0;
  const worker = async () => {
    while (generated < options.cases) {
      generated++;
      await runCase(baseUrl, fuzzCase(random, routes, targets), report);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

async function runCase(baseUrl: string, fuzz: FuzzCase, report: FuzzReport): Promise<void> {
  if (fuzz.kind === 'raw') {
    const exchange = await rawExchange(baseUrl, [fuzz.bytes], 500);
    for (const [, status, rest] of exchange.text.matchAll(
      /HTTP\/1\.1 (\d{3})([\s\S]*?)(?=HTTP\/1\.1 \d{3}|$)/g,
    )) {
      record(report, `raw: ${fuzz.name}`, Number(status), rest);
    }
    return;
  }
  let response: Response;
  try {
    response = await fetch(baseUrl + fuzz.url, {
      method: fuzz.method,
      headers: fuzz.headers,
      body: fuzz.method === 'GET' || fuzz.method === 'HEAD' ? undefined : fuzz.body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
  } catch (error) {
    // Duck-typed: fetch's errors come from Node's realm, not jest's sandbox, so `instanceof` fails.
    const { name, cause } = error as { name?: unknown; cause?: unknown };
    if (name === 'TypeError' && cause === undefined) {
      report.unsendable++;
      return;
    }
    report.findings.push({
      case: describe(fuzz),
      status: name === 'TimeoutError' ? 'timeout' : 'transport',
      excerpt: String(cause ?? error),
    });
    return;
  }
  record(report, describe(fuzz), response.status, await response.text());
}

function record(report: FuzzReport, name: string, status: number, body: string): void {
  const statusClass = `${Math.floor(status / 100)}xx`;
  report.statuses[statusClass] = (report.statuses[statusClass] ?? 0) + 1;
  if (status >= 500 || STACK_TRACE.test(body))
    report.findings.push({ case: name, status, excerpt: body.slice(0, 500) });
}

function describe(fuzz: HttpCase): string {
  const body = fuzz.body === undefined ? '' : ` ${String(fuzz.body).slice(0, 300)}`;
  return `${fuzz.method} ${fuzz.url.slice(0, 300)} ${JSON.stringify(fuzz.headers).slice(0, 300)}${body}`;
}
