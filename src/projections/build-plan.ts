import type { BuildRecord } from './projection-catalog';
import type { BuildId } from './table-names';

export interface BuildPlan {
  /** Serves queries. `isNew` when the catalog had none yet: the first build of this name. */
  active: BuildId & { isNew: boolean };
  /** Builds in the background and takes over once caught up; resumes an interrupted build if any. */
  pending: BuildId | null;
  /** Builds of no use any more (an abandoned version, an old rebuild, a switch cut short by a crash). */
  leftovers: BuildRecord[];
}

const same = (a: BuildId, b: BuildId) => a.version === b.version && a.generation === b.generation;

/**
 * Decides, at start, which builds of a projection run. Pure: the catalog's rows in, the plan out.
 * - No active build yet: the newest registered version becomes active at once (nothing else could serve).
 * - A newer version is registered: it is the pending build, resumed from its checkpoint if it exists.
 * - The same version with a higher generation exists: a `rebuild()` that was interrupted, resumed.
 */
export function planBuilds(
  name: string,
  targetVersion: number,
  activeInCatalog: BuildId | null,
  builds: readonly BuildRecord[],
): BuildPlan {
  const active = activeInCatalog
    ? { ...activeInCatalog, isNew: false }
    : { name, version: targetVersion, generation: 0, isNew: true };
  const resumable = builds.filter(
    (b) => b.version === targetVersion && (b.version > active.version || b.generation > active.generation),
  );
  let pending: BuildId | null = resumable.at(-1) ?? null;
  if (!pending && targetVersion > active.version) pending = { name, version: targetVersion, generation: 0 };
  const leftovers = builds.filter((b) => !same(b, active) && !(pending && same(b, pending)));
  return { active, pending, leftovers };
}
