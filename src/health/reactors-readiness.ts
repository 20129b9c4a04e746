import type { ReactorEngine } from '../reactors/reactor-engine';
import type { ReadinessCheck, ReadinessContributor } from './readiness-contributor';

/**
 * Reports reactors; never holds traffic back: reactions run behind the API (at-least-once, retried), and
 * a reactor that is retrying does not make the API's answers wrong.
 */
export class ReactorsReadiness implements ReadinessContributor {
  readonly name = 'reactors';

  constructor(private readonly engine: Pick<ReactorEngine, 'status'>) {}

  async check(): Promise<ReadinessCheck> {
    const reactors = this.engine.status().map((status) => [
      status.name,
      {
        state: status.state,
        checkpoint: status.checkpoint?.toString() ?? null,
        ...(status.lastError ? { last_error: status.lastError.message } : {}),
      },
    ]);
    return { ready: true, details: { reactors: Object.fromEntries(reactors) } };
  }
}
