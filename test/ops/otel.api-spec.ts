import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { TestApp } from '../support/test-app';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

/**
 * OTEL_ENABLED=true: `@fastify/otel` spans on the global tracer provider, which an operator's SDK would
 * register; here an in-memory exporter plays that part.
 */
describe('OpenTelemetry request spans', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    trace.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());

  const requestSpans = () => exporter.getFinishedSpans().filter((span) => span.name === 'request');

  it('continues the caller’s traceparent in a request span with the route', async () => {
    const api = await TestApp.start({ config: { otelEnabled: true } });
    try {
      const { key } = await api.createCustomer('Traced');
      exporter.reset();
      const response = await api.request('GET', '/v1/calls', { key, headers: { traceparent: TRACEPARENT } });
      expect(response.status).toBe(200);
      const [span] = requestSpans();
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(PARENT_ID);
      expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/v1/calls' });
      expect(span.attributes['http.response.status_code']).toBe(200);
      // Health probes are not traced.
      await api.request('GET', '/health/ready', { key: null, headers: { traceparent: TRACEPARENT } });
      expect(requestSpans()).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it('makes no span when OTEL_ENABLED is off (the default)', async () => {
    const api = await TestApp.start();
    try {
      await api.request('GET', '/v1/calls', { headers: { traceparent: TRACEPARENT } });
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
