import { CommandRunner, Option } from 'nest-commander';

/** A command that prints a table by default and JSON for scripts with `--json` (inherited option). */
export abstract class JsonCommandRunner extends CommandRunner {
  @Option({ flags: '--json', description: 'print JSON instead of a table' })
  parseJson(): boolean {
    return true;
  }
}
