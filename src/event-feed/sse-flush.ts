/** What `scheduleFlush` needs of a client. */
export interface Flushable {
  flushArmed: boolean;
  flush(): void;
}

let dirty: Flushable[] = [];
let armed = false;

/**
 * Collects the clients that got frames in this tick and flushes them all once the tick's I/O is done
 * (`setImmediate`): every event of a group commit reaches each client in one socket write. One shared
 * callback for all clients, not one per client.
 */
export function scheduleFlush(client: Flushable): void {
  if (client.flushArmed) return;
  client.flushArmed = true;
  dirty.push(client);
  if (armed) return;
  armed = true;
  setImmediate(flushAll);
}

function flushAll(): void {
  armed = false;
  const clients = dirty;
  dirty = [];
  for (const client of clients) {
    client.flushArmed = false;
    client.flush();
  }
}
