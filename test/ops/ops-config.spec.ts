import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadAppConfig } from '../../src/config/app-config';
import { logFormatOf } from '../../src/observability/log-options';

describe('operation settings', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-ops-config-'));

  it('defaults: generous rate limit, CORS off, log format by TTY', () => {
    const config = loadAppConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      rateLimitMax: 300_000,
      rateLimitWindowMs: 60_000,
      corsOrigins: undefined,
      otelEnabled: false,
    });
    expect(logFormatOf(config, true)).toBe('pretty');
    expect(logFormatOf(config, false)).toBe('json');
  });

  it('reads OTEL_ENABLED and refuses anything but true or false', () => {
    expect(loadAppConfig({ DATA_DIR: dataDir, OTEL_ENABLED: 'true' }).otelEnabled).toBe(true);
    expect(() => loadAppConfig({ DATA_DIR: dataDir, OTEL_ENABLED: 'yes' })).toThrow(
      new ConfigError('Invalid configuration: OTEL_ENABLED must be true or false'),
    );
  });

  it('reads LOG_FORMAT, RATE_LIMIT_* and CORS_ORIGINS', () => {
    const config = loadAppConfig({
      DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
      RATE_LIMIT_MAX: '0',
      RATE_LIMIT_WINDOW_MS: '1000',
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
    });
    expect(config).toMatchObject({
      logFormat: 'json',
      rateLimitMax: 0,
      rateLimitWindowMs: 1000,
      corsOrigins: ['https://a.example', 'http://localhost:5173'],
    });
    expect(logFormatOf(config, true)).toBe('json');
  });

  it.each([
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT must be "json" or "pretty"/],
    [{ RATE_LIMIT_MAX: '-1' }, /RATE_LIMIT_MAX must not be less than 0/],
    [{ RATE_LIMIT_WINDOW_MS: 'soon' }, /RATE_LIMIT_WINDOW_MS must be an integer/],
    [{ CORS_ORIGINS: 'evil.example' }, /CORS_ORIGINS must be \* or a comma-separated list/],
  ])('rejects %p with one clear message', (env, message) => {
    expect(() => loadAppConfig({ DATA_DIR: dataDir, ...env })).toThrow(ConfigError);
    expect(() => loadAppConfig({ DATA_DIR: dataDir, ...env })).toThrow(message);
  });
});
