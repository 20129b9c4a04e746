import type { Call } from '../call';

/** A call's folded state after the event at `revision` of its stream. */
export type FoldedCall = { revision: number; call: Call };

/**
 * The last folded state of recently changed calls, so that applying an event does not read the row back
 * and parse its JSON. Safe whatever happens to the transaction around it: the state at revision N is a
 * pure function of the stream's first N+1 events, so an entry is never wrong, only possibly AHEAD of the
 * table (a batch rolled back). The projection therefore writes with `WHERE revision = <entry's>` and falls
 * back to the row when that changes nothing.
 *
 * Bounded (oldest first out), and a hung-up call leaves at once: later events of a call are rare.
 */
export class FoldedCalls {
  private readonly entries = new Map<string, FoldedCall>();

  constructor(private readonly capacity: number) {}

  get(callId: string): FoldedCall | undefined {
    return this.entries.get(callId);
  }

  set(callId: string, folded: FoldedCall): void {
    // Re-inserting moves the call to the young end, so the calls in progress stay.
    this.entries.delete(callId);
    if (folded.call.status === 'hangup') return;
    this.entries.set(callId, folded);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(callId: string): void {
    this.entries.delete(callId);
  }
}
