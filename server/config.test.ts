import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to SQLite in ./data on port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.smtpPort).toBe(2525);
    expect(config.database).toEqual({
      dialect: 'sqlite',
      file: expect.stringMatching(/data\/kunde\.db$/) as string,
    });
    expect(config.admin).toBeUndefined();
  });

  it('bounds the SMTP intake by default, and takes other limits from the environment', () => {
    expect(loadConfig({}).smtp).toEqual({
      maxMessageBytes: 25 * 1024 * 1024,
      maxConnectionsPerIp: 10,
      messagesPerMinutePerIp: 120,
    });
    expect(
      loadConfig({
        SMTP_MAX_MESSAGE_BYTES: '1048576',
        SMTP_MAX_CONNECTIONS_PER_IP: '60',
        SMTP_MESSAGES_PER_MINUTE_PER_IP: '100000',
      }).smtp,
    ).toEqual({
      maxMessageBytes: 1048576,
      maxConnectionsPerIp: 60,
      messagesPerMinutePerIp: 100000,
    });
  });

  it('turns the platform API on only with KUNDE_PLATFORM_TOKEN', () => {
    expect(loadConfig({}).platformToken).toBeUndefined();
    const token = 'a'.repeat(40);
    expect(loadConfig({ KUNDE_PLATFORM_TOKEN: token }).platformToken).toBe(token);
  });

  it('turns /metrics on only with KUNDE_METRICS_TOKEN; shutdown grace 10 s unless set', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    const token = 'm'.repeat(40);
    expect(loadConfig({ KUNDE_METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(loadConfig({}).shutdownGraceMs).toBe(10_000);
    expect(loadConfig({ KUNDE_SHUTDOWN_GRACE_MS: '25000' }).shutdownGraceMs).toBe(25_000);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database).toEqual({
      dialect: 'postgres',
      url: 'postgres://u@h/db',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: PORT must be a port number/],
    [{ PORT: '70000' }, /PORT: PORT must be between 0 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: DATABASE_URL must start with postgres/],
    [
      { KUNDE_ADMIN_EMAIL: 'admin@example.com' },
      /KUNDE_ADMIN_EMAIL and KUNDE_ADMIN_PASSWORD must be set together/,
    ],
    [
      { KUNDE_ADMIN_EMAIL: 'admin@example.com', KUNDE_ADMIN_PASSWORD: 'short' },
      /KUNDE_ADMIN_PASSWORD: .*at least 8/,
    ],
    [
      { KUNDE_IMPORT_BATCH_SIZE: 'abc' },
      /KUNDE_IMPORT_BATCH_SIZE: must be a whole number from 100 to 100000/,
    ],
    [
      { KUNDE_IMPORT_BATCH_SIZE: '50' },
      /KUNDE_IMPORT_BATCH_SIZE: must be a whole number from 100 to 100000/,
    ],
    [
      { KUNDE_IMPORT_MAX_BYTES: '2048.5' },
      /KUNDE_IMPORT_MAX_BYTES: must be a whole number of bytes from 1024 to/,
    ],
    [
      { KUNDE_JOB_LEASE_MS: '10s' },
      /KUNDE_JOB_LEASE_MS: must be a whole number of milliseconds from 1000 to 3600000/,
    ],
    [
      { KUNDE_AUTH_CACHE_MS: '-1' },
      /KUNDE_AUTH_CACHE_MS: must be a whole number of milliseconds from 0 to 60000/,
    ],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY: must be true or false/],
    [
      { SMTP_MAX_MESSAGE_BYTES: '25MB' },
      /SMTP_MAX_MESSAGE_BYTES: must be a whole number of bytes from 1024 to/,
    ],
    [
      { SMTP_MAX_CONNECTIONS_PER_IP: '0' },
      /SMTP_MAX_CONNECTIONS_PER_IP: must be a whole number from 1 to/,
    ],
    [
      { SMTP_MESSAGES_PER_MINUTE_PER_IP: '1.5' },
      /SMTP_MESSAGES_PER_MINUTE_PER_IP: must be a whole number from 1 to/,
    ],
    [{ KUNDE_PLATFORM_TOKEN: 'too-short' }, /KUNDE_PLATFORM_TOKEN: .*at least 32 characters/],
    [{ KUNDE_PLATFORM_TOKEN: `${'x'.repeat(32)} y` }, /KUNDE_PLATFORM_TOKEN: .*without spaces/],
    [{ KUNDE_METRICS_TOKEN: 'secret' }, /KUNDE_METRICS_TOKEN: .*at least 32 characters/],
    [
      { KUNDE_SHUTDOWN_GRACE_MS: '10s' },
      /KUNDE_SHUTDOWN_GRACE_MS: must be a whole number of milliseconds from 1000 to 600000/,
    ],
    [
      { KUNDE_SHUTDOWN_GRACE_MS: '500' },
      /KUNDE_SHUTDOWN_GRACE_MS: must be a whole number of milliseconds from 1000 to 600000/,
    ],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the tuning variables, with the defaults Kunde is measured with', () => {
    expect(loadConfig({}).tuning).toEqual({
      importMaxBytes: 256 * 1024 * 1024,
      importBatchSize: 5000,
      jobLeaseMs: 30_000,
      authCacheMs: 5000,
    });
    expect(loadConfig({}).trustProxy).toBe(false);
    const config = loadConfig({
      KUNDE_IMPORT_MAX_BYTES: '1048576',
      KUNDE_IMPORT_BATCH_SIZE: '250',
      KUNDE_JOB_LEASE_MS: '5000',
      KUNDE_AUTH_CACHE_MS: '0',
      TRUST_PROXY: 'true',
    });
    expect(config.tuning).toEqual({
      importMaxBytes: 1_048_576,
      importBatchSize: 250,
      jobLeaseMs: 5000,
      authCacheMs: 0,
    });
    expect(config.trustProxy).toBe(true);
  });

  it('lists every bad variable at once', () => {
    const both = { KUNDE_IMPORT_BATCH_SIZE: 'abc', TRUST_PROXY: '1' };
    expect(() => loadConfig(both)).toThrow(/^ {2}KUNDE_IMPORT_BATCH_SIZE: must be/m);
    expect(() => loadConfig(both)).toThrow(/^ {2}TRUST_PROXY: must be true or false$/m);
  });

  it('reads the file store and its bucket, naming a bad variable', () => {
    expect(loadConfig({}).files).toEqual({ backend: undefined, s3: undefined });
    const s3 = loadConfig({
      KUNDE_FILE_STORE: 's3',
      KUNDE_S3_BUCKET: 'kunde-files',
      KUNDE_S3_ENDPOINT: 'http://127.0.0.1:9000',
      KUNDE_S3_FORCE_PATH_STYLE: 'true',
    });
    expect(s3.files).toEqual({
      backend: 's3',
      s3: {
        endpoint: 'http://127.0.0.1:9000',
        bucket: 'kunde-files',
        region: 'us-east-1',
        accessKeyId: undefined,
        secretAccessKey: undefined,
        forcePathStyle: true,
      },
    });
    expect(() => loadConfig({ KUNDE_FILE_STORE: 'disk' })).toThrow(
      /^ {2}KUNDE_FILE_STORE: must be local, database or s3$/m,
    );
    expect(() => loadConfig({ KUNDE_FILE_STORE: 's3' })).toThrow(
      /KUNDE_S3_BUCKET must be set when KUNDE_FILE_STORE is s3/,
    );
    expect(() => loadConfig({ KUNDE_S3_BUCKET: 'ab' })).toThrow(
      /^ {2}KUNDE_S3_BUCKET: must be a bucket name/m,
    );
    expect(() => loadConfig({ KUNDE_S3_ACCESS_KEY_ID: 'x' })).toThrow(
      /KUNDE_S3_ACCESS_KEY_ID and KUNDE_S3_SECRET_ACCESS_KEY must be set together/,
    );
  });
});
