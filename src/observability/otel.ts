import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifyInstance } from 'fastify';

/**
 * OpenTelemetry request spans (`OTEL_ENABLED=true`), through Fastify's own instrumentation: one `request`
 * span per request (route, method, status), continuing the caller's `traceparent`, with child spans for
 * the hooks and the handler. It uses the process' global tracer provider and propagator, which the
 * operator's OpenTelemetry SDK registers (e.g. `node --require @opentelemetry/auto-instrumentations-node/register`
 * or a NodeSDK with an OTLP exporter); without one, the spans are no-ops. Health and metrics scrapes are
 * not traced. Off by default: the instrumentation wraps every hook, which costs latency on each request.
 *
 * Must run before any route or hook is added, so that it sees all of them.
 */
export async function installOpenTelemetry(fastify: FastifyInstance): Promise<void> {
  const instrumentation = new FastifyOtelInstrumentation({
    ignorePaths: ({ url }) => url.startsWith('/health') || url.startsWith('/metrics'),
  });
  await fastify.register(instrumentation.plugin());
}
