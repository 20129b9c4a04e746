/** What `scheduleFlush` needs of a client. */
export interface Flushable {
  flushArmed: boolean;
  flush(): void;
}

/**
 * Writing a thousand sockets takes ~13 ms of one core (a syscall each, ~12 µs). Done in one go it holds
 * the event loop for all of it, and an append decided meanwhile, whose event is the next one clients wait
 * for, waits behind it. So a pass writes for at most this long, then lets the loop run (commits, requests)
 * and continues where it stopped.
 */
const SLICE_MS = 3;
/** Clients written between two clock readings. */
const CLOCK_EVERY = 32;

let dirty: Flushable[] = [];
let next = 0;
let armed = false;

/**
 * Collects the clients that got frames in this tick and flushes them all once the tick's I/O is done
 * (`setImmediate`): every event of a group commit reaches each client in one socket write. One shared
 * callback for all clients, not one per client; clients that get frames while a pass is under way join
 * its end, so each keeps its place.
 */
export function scheduleFlush(client: Flushable): void {
  if (client.flushArmed) return;
  client.flushArmed = true;
  dirty.push(client);
  if (armed) return;
  armed = true;
  setImmediate(flushSlice);
}

function flushSlice(): void {
  const until = performance.now() + SLICE_MS;
  while (next < dirty.length) {
    const client = dirty[next++];
    client.flushArmed = false;
    client.flush();
    if (next % CLOCK_EVERY === 0 && performance.now() >= until) break;
  }
  if (next < dirty.length) {
    setImmediate(flushSlice);
    return;
  }
  dirty = [];
  next = 0;
  armed = false;
}
