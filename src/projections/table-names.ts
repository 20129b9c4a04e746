import type { TableNames } from './projection';

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

/** `callHistory`, `call-history` and `Call History` all become `call_history`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * One set of physical tables of a projection. `generation` 0 is the first build of a version; `rebuild()`
 * builds the same version again into generation 1, 2, ... so that the serving tables stay untouched until
 * the switch. Names are validated identifiers: handlers may interpolate them into SQL without quoting.
 */
export interface BuildId {
  readonly name: string;
  readonly version: number;
  readonly generation: number;
}

export function tablePrefix(build: BuildId): string {
  const snake = toSnakeCase(build.name);
  if (!IDENTIFIER.test(snake)) throw new Error(`Projection name "${build.name}" cannot name SQL tables`);
  const generation = build.generation === 0 ? '' : `_r${build.generation}`;
  return `${snake}_v${build.version}${generation}`;
}

/** `call_history_v2_calls` for the first build of version 2; `call_history_v2_r1_calls` after one rebuild. */
export function physicalTableNames<Logical extends string>(
  build: BuildId,
  logical: readonly Logical[],
): TableNames<Logical> {
  const prefix = tablePrefix(build);
  const names = {} as Record<Logical, string>;
  for (const table of logical) {
    if (!IDENTIFIER.test(table))
      throw new Error(`Table "${table}" of projection ${build.name} is not snake_case`);
    names[table] = `${prefix}_${table}`;
  }
  return Object.freeze(names);
}

export function describeBuild(build: BuildId): string {
  return build.generation === 0
    ? `${build.name} v${build.version}`
    : `${build.name} v${build.version} (rebuild ${build.generation})`;
}
