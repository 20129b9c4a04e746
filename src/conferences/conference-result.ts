/**
 * What a command handler of this feature returns: the resource's view and its stream revision, which the
 * controller turns into the ETag. `position` is already awaited (read-your-writes) when a handler returns.
 */
export interface Versioned<View> {
  view: View;
  revision: bigint;
}
