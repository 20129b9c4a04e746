import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status?: number;
}

/**
 * A local webhook receiver. `respond` picks the status per request (default 200), so tests can make it
 * fail a few times, answer 410, or ask for a Retry-After.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  respond: (
    delivery: ReceivedDelivery,
    index: number,
  ) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 });
  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | null = null;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const delivery: ReceivedDelivery = {
          path: request.url ?? '/',
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        };
        const self = receiver as WebhookReceiver;
        self.received.push(delivery);
        const answer = self.respond(delivery, self.received.length - 1);
        delivery.status = answer.status;
        response.writeHead(answer.status, answer.headers).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new WebhookReceiver(server);
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async until(predicate: (received: ReceivedDelivery[]) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out with ${this.received.length} deliveries: ${this.received.map((r) => JSON.parse(r.body).type)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
