import type { MediaGateway } from '../media-gateway/media-gateway.port';

/**
 * `MEDIA_GATEWAY_MODE=external`: the media layer is another system. It learns what to do from the event
 * feed (new calls, hangup requests, conference joins and leaves with their actions, all in the events) and
 * reports progress through `POST /v1/calls/:id/signals` (and the conferencecall signals endpoint) with a
 * `media` key. So every request here is accepted at once and does nothing.
 */
export class ExternalMediaGateway implements MediaGateway {
  async dial(): Promise<void> {}
  async hangup(): Promise<void> {}
  async joinConference(): Promise<void> {}
  async leaveConference(): Promise<void> {}
  /** Talks and plays are in the feed (`call.action_started`); the media layer reports their end. */
  async executeAction(): Promise<void> {}
  // --- recording (issue 12 §2): the media layer reports the end with POST /v1/recordings/:id/signals ---
  async startRecording(): Promise<void> {}
  async stopRecording(): Promise<void> {}
}
