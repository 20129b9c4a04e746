/** One part's answer to "can this instance serve traffic now?", with what an operator needs to see why. */
export interface ReadinessCheck {
  ready: boolean;
  details: Record<string, unknown>;
}

/**
 * A part of the server that readiness depends on or reports (store, read models, lease, ...). Register it
 * with `ReadinessService.register()` in `onModuleInit`. `check()` must be cheap and bounded: it runs on
 * every `GET /health/ready` and every 100 ms while the instance starts. A part that only reports (a
 * standby lease holder still serves the API) answers `ready: true` with its state in `details`.
 */
export interface ReadinessContributor {
  readonly name: string;
  check(): Promise<ReadinessCheck>;
}
