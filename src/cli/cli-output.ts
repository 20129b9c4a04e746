import { Presets, SingleBar } from 'cli-progress';

/** A mistake of the operator (bad input, unknown id, unreachable server): one clear line, exit 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface OutputOptions {
  json?: boolean;
}

/** `--json` prints the value for scripts; otherwise the rows as an aligned text table. */
export function printRows<Row extends object>(
  rows: readonly Row[],
  columns: readonly (keyof Row & string)[],
  options: OutputOptions,
  json: unknown = rows,
): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderTable(rows, columns));
}

export function renderTable<Row extends object>(
  rows: readonly Row[],
  columns: readonly (keyof Row & string)[],
): string {
  const cells = rows.map((row) => columns.map((column) => cellText(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((cell) => cell[i].length)));
  const line = (values: string[]) =>
    `${values
      .map((value, i) => value.padEnd(widths[i]))
      .join('  ')
      .trimEnd()}\n`;
  return line([...columns]) + cells.map(line).join('');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The one place the CLI writes a human message that is not data (stderr, so stdout stays pipeable). */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on stderr, or nothing at all when stderr is not a terminal (scripts,
 * CI, pipes): the output of a command must not depend on where its bar would have gone.
 */
export function progressBar(label: string, total: number): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const started = Date.now();
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      etaBuffer: 50,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { rate: '0' });
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) bar.setTotal(Math.max(newTotal, 1));
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(done, { rate: Math.round(done / seconds).toString() });
    },
    stop: () => bar.stop(),
  };
}
