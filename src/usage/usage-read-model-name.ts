/**
 * The usage read model's name, on its own so the stream descriptors that make writes wait for it
 * (read-your-writes) import a string and nothing of the projection.
 */
export const USAGE = 'usage';
