import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server wrote before it closed (or before the wait ended). */
  text: string;
  /** How the connection ended: `end` (a clean close), `reset` (ECONNRESET/EPIPE), `open` (still open). */
  ending: 'end' | 'reset' | 'open';
}

/**
 * Writes raw bytes to the server, one write per element (a pause between), and collects what comes back:
 * for requests no HTTP client would send (malformed request lines, oversize headers, invalid UTF-8).
 */
export function rawExchange(
  baseUrl: string,
  writes: (string | Buffer)[],
  waitMs = 1000,
): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (ending: RawExchange['ending']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), ending });
    };
    const timer = setTimeout(() => finish('open'), waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish('end'));
    socket.on('error', () => finish('reset'));
    socket.on('connect', async () => {
      for (const write of writes) {
        if (socket.destroyed) break;
        socket.write(write);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
}
