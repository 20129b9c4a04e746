import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { ArgumentMetadata } from '@nestjs/common';
import { ListCallsRequest } from '../src/calls/call-history/list-calls.request';
import { MakeCallRequest } from '../src/calls/make-call/make-call.request';
import { CreateConferenceRequest } from '../src/conferences/create-conference/create-conference.request';
import { createValidationPipe } from '../src/http/validation';

/**
 * `npm run bench:validation`: the cost of the global ValidationPipe (class-transformer + class-validator)
 * per request, for bodies and a query, without HTTP around it. Decides whether replacing the
 * class-transformer step would pay next to a whole request (see docs/PERFORMANCE.md for `bench:http`).
 * Environment: BENCH_VALIDATION_ITERATIONS (default 20000).
 */
const ITERATIONS = Number(process.env.BENCH_VALIDATION_ITERATIONS ?? 20_000);

const CASES: [string, ArgumentMetadata, () => unknown][] = [
  [
    'POST /v1/calls body (seed 000)',
    { type: 'body', metatype: MakeCallRequest },
    () => ({ contact_id: 'jj084', type: 'voice' }),
  ],
  [
    'POST /v1/calls body (source, destination, metadata)',
    { type: 'body', metatype: MakeCallRequest },
    () => ({
      source: { type: 'tel', target: '+15550100' },
      destination: { type: 'tel', target: '+15550101', target_name: 'Bob' },
      metadata: { campaign: 'spring', tags: ['a', 'b'] },
      dial_timeout: 30,
    }),
  ],
  [
    'POST /v1/conferences body',
    { type: 'body', metatype: CreateConferenceRequest },
    () => ({
      type: 'conference',
      name: 'standup',
      timeout: 600,
      pre_actions: [{ type: 'talk', option: {} }],
    }),
  ],
  [
    'GET /v1/calls query',
    { type: 'query', metatype: ListCallsRequest },
    () => ({ page_size: '50', status: 'progressing', created_after: '2026-01-01T00:00:00Z' }),
  ],
];

async function main(): Promise<void> {
  const pipe = createValidationPipe();
  process.stdout.write(`| input | µs per validation (mean of ${ITERATIONS}) |\n| --- | --- |\n`);
  for (const [name, metadata, input] of CASES) {
    for (let i = 0; i < 2_000; i++) await pipe.transform(input(), metadata).catch(() => undefined);
    const started = performance.now();
    for (let i = 0; i < ITERATIONS; i++) await pipe.transform(input(), metadata).catch(() => undefined);
    const micros = ((performance.now() - started) * 1000) / ITERATIONS;
    process.stdout.write(`| ${name} | ${micros.toFixed(1)} |\n`);
  }
}

void main();
