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

  it('turns the platform API on only with KUNDE_PLATFORM_TOKEN', () => {
    expect(loadConfig({}).platformToken).toBeUndefined();
    const token = 'a'.repeat(40);
    expect(loadConfig({ KUNDE_PLATFORM_TOKEN: token }).platformToken).toBe(token);
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
    [{ KUNDE_PLATFORM_TOKEN: 'too-short' }, /KUNDE_PLATFORM_TOKEN: .*at least 32 characters/],
    [{ KUNDE_PLATFORM_TOKEN: `${'x'.repeat(32)} y` }, /KUNDE_PLATFORM_TOKEN: .*without spaces/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
