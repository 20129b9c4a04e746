import type { MediaConferenceSignal } from '../media-gateway/media-gateway.port';

/**
 * Where the media signal sink hands conference signals (`joined` / `left`) from the built-in gateway.
 * Implemented by the conferences feature and bound to `CONFERENCE_SIGNAL_HANDLER` in its module; the sink
 * looks it up lazily (no module import either way), and logs and drops signals while none is bound.
 *
 * Same contract as the sink: at-least-once, possibly reordered; a rejection with a `DomainError` is final.
 */
export interface ConferenceSignalHandler {
  handle(signal: MediaConferenceSignal): Promise<void>;
}

export const CONFERENCE_SIGNAL_HANDLER = Symbol('CONFERENCE_SIGNAL_HANDLER');
