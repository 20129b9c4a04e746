import { connect } from 'node:net';
import { EventSource } from 'eventsource';

/**
 * The event-feed bench's clients. A thousand clients in one load-generator process must cost it little, or
 * the figure measures the generator's own queue: most are raw TCP connections that send the GET and scan
 * the bytes for frames (no HTTP parser, no stream decoder, no JSON parse); a sample are real `eventsource`
 * clients, the library users run, whose latencies are reported apart as the check that the cheap readers
 * do not flatter the figure.
 */
export interface FeedSample {
  /** Receipt time minus the event's `time`, ms, one entry per event frame. */
  latencies: number[];
  frames: number;
}

const TIME = '"time":"';
const ISO_LENGTH = 24; // 2026-12-02T02:19:09.123Z

/** Connects one raw reader; resolves once the server answered the headers with 200. */
export function rawFeedClient(
  port: number,
  path: string,
  key: string,
  sample: FeedSample,
): Promise<{ destroy(): void }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let headersDone = false;
    let carry = '';
    socket.setNoDelay(true);
    socket.on('connect', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\nauthorization: Bearer ${key}\r\n\r\n`,
      ),
    );
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      // One clock reading per read: every frame in it arrived at the same time.
      const now = Date.now();
      let text = carry + chunk.toString('latin1');
      if (!headersDone) {
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) {
          carry = text;
          return;
        }
        if (!text.startsWith('HTTP/1.1 200')) {
          reject(new Error(`feed answered ${text.slice(0, text.indexOf('\r\n'))}`));
          socket.destroy();
          return;
        }
        headersDone = true;
        text = text.slice(end + 4);
        resolve(socket);
      }
      // Frames end with a blank line; chunked-encoding lines between writes sit outside the frames we read.
      let start = 0;
      let end = text.indexOf('\n\n', start);
      while (end >= 0) {
        const at = text.indexOf(TIME, start);
        if (at >= 0 && at < end) {
          sample.latencies.push(
            now - Date.parse(text.slice(at + TIME.length, at + TIME.length + ISO_LENGTH)),
          );
          sample.frames++;
        }
        start = end + 2;
        end = text.indexOf('\n\n', start);
      }
      carry = text.slice(start);
    });
  });
}

/** Connects one real `eventsource` client; resolves once it is open. */
export function eventSourceClient(
  port: number,
  path: string,
  key: string,
  sample: FeedSample,
): Promise<{ destroy(): void }> {
  const source = new EventSource(`http://127.0.0.1:${port}${path}`, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${key}` },
      }),
  });
  source.onmessage = (message) => {
    const now = Date.now();
    sample.latencies.push(now - Date.parse(JSON.parse(message.data).time));
    sample.frames++;
  };
  return new Promise((resolve, reject) => {
    source.onopen = () => resolve({ destroy: () => source.close() });
    source.onerror = (error) => reject(new Error(`eventsource failed: ${error.message ?? error.code}`));
  });
}
