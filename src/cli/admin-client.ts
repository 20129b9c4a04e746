import type { ProjectionStatusView } from '../operator/projection-status-view';
import { CliError } from './cli-output';

/** Where a running server is, for commands that must go through it (`--server`/`--key`, or env). */
export interface ServerOptions {
  server?: string;
  key?: string;
}

export function serverOf(options: ServerOptions): { url: string; key: string } | null {
  const url = options.server ?? process.env.SWITCHBOARD_SERVER;
  if (!url) return null;
  const key = options.key ?? process.env.SWITCHBOARD_KEY;
  if (!key) throw new CliError('--server needs an admin key: --key KEY or SWITCHBOARD_KEY');
  return { url: url.replace(/\/+$/, ''), key };
}

/** The server's admin API (`/v1/admin/projections`); its problem details become one clear line. */
export class AdminClient {
  constructor(private readonly server: { url: string; key: string }) {}

  async projections(): Promise<ProjectionStatusView[]> {
    return (await this.call<{ result: ProjectionStatusView[] }>('GET', '/v1/admin/projections')).result;
  }

  rebuild(name: string): Promise<ProjectionStatusView> {
    return this.call('POST', `/v1/admin/projections/${encodeURIComponent(name)}/rebuild`);
  }

  retry(name: string): Promise<ProjectionStatusView> {
    return this.call('POST', `/v1/admin/projections/${encodeURIComponent(name)}/retry`);
  }

  private async call<T>(method: string, path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.server.url + path, {
        method,
        headers: { authorization: `Bearer ${this.server.key}` },
      });
    } catch (error) {
      throw new CliError(
        `cannot reach ${this.server.url}: ${(error as Error).cause ?? (error as Error).message}`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
    if (!response.ok)
      throw new CliError(
        `${this.server.url} answered ${response.status}: ${body.detail ?? body.title ?? ''}`,
      );
    return body as T;
  }
}
