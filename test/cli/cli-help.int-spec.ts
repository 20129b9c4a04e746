import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-runner';

/** Every command and subcommand of the operator CLI explains itself, with an example. */
const COMMANDS = [
  ['events'],
  ['trace'],
  ['calls', 'show'],
  ['conferences', 'show'],
  ['projections', 'list'],
  ['projections', 'rebuild'],
  ['projections', 'retry'],
  ['export'],
  ['import'],
  ['migrate'],
  ['verify'],
  ['customers', 'list'],
  ['customers', 'create'],
  ['customers', 'issue-key'],
  ['customers', 'revoke-key'],
];

describe('switchboard --help', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-help-'));

  it('lists every command', async () => {
    const help = await runCli(dataDir, ['--help']);
    expect(help.code).toBe(0);
    for (const name of [
      'events',
      'trace',
      'calls',
      'conferences',
      'projections',
      'export',
      'import',
      'migrate',
      'verify',
      'customers',
    ])
      expect(help.stdout).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  }, 30_000);

  it('shows usage, options and an example for every command', async () => {
    // Two at a time: the machine is shared.
    const pending = [...COMMANDS];
    const failures: string[] = [];
    const worker = async () => {
      for (let command = pending.shift(); command; command = pending.shift()) {
        const help = await runCli(dataDir, [...command, '--help']);
        const ok =
          help.code === 0 &&
          help.stdout.includes(`Usage: switchboard ${command.join(' ')}`) &&
          /Examples?:\n\s+\$ (\S+=\S+ )*switchboard /.test(help.stdout);
        if (!ok) failures.push(`${command.join(' ')}: ${help.code} ${help.stdout}${help.stderr}`);
      }
    };
    await Promise.all([worker(), worker()]);
    expect(failures).toEqual([]);
  }, 180_000);
});
