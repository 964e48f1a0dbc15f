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
      { SMTP_MAX_MESSAGE_BYTES: '25MB' },
      /SMTP_MAX_MESSAGE_BYTES: SMTP_MAX_MESSAGE_BYTES must be a number/,
    ],
    [{ SMTP_MAX_CONNECTIONS_PER_IP: '0' }, /SMTP_MAX_CONNECTIONS_PER_IP: .*at least 1/],
    [{ SMTP_MESSAGES_PER_MINUTE_PER_IP: '1.5' }, /SMTP_MESSAGES_PER_MINUTE_PER_IP: .*whole number/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
