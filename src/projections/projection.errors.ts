/** Programming and operation errors of the projection engine (not domain errors: they never reach HTTP). */

export class UnknownProjection extends Error {
  override readonly name = 'UnknownProjection';
  constructor(readonly projection: string) {
    super(`No projection named ${projection} is registered`);
  }
}

export class DuplicateProjection extends Error {
  override readonly name = 'DuplicateProjection';
  constructor(
    readonly projection: string,
    readonly version: number,
  ) {
    super(`Projection ${projection} v${version} is already registered`);
  }
}

/**
 * The read-model database already serves a newer version than the code registers. The old tables were
 * dropped at the switch, so going back means registering an even higher version (a fresh build).
 */
export class ProjectionDowngrade extends Error {
  override readonly name = 'ProjectionDowngrade';
  constructor(
    readonly projection: string,
    readonly registered: number,
    readonly active: number,
  ) {
    super(
      `Projection ${projection} v${registered} is older than the active v${active} in the read-model database; ` +
        `register v${active + 1} or later to build it again`,
    );
  }
}

export class ProjectionRebuildInProgress extends Error {
  override readonly name = 'ProjectionRebuildInProgress';
  constructor(
    readonly projection: string,
    readonly version: number,
  ) {
    super(`Projection ${projection} is already building v${version}`);
  }
}

/** A rebuild did not complete: its build failed, or the engine stopped first (it resumes at next start). */
export class ProjectionRebuildAborted extends Error {
  override readonly name = 'ProjectionRebuildAborted';
  constructor(
    readonly projection: string,
    reason: string,
  ) {
    super(`Rebuild of projection ${projection} did not complete: ${reason}`);
  }
}
