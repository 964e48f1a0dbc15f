// The one typed configuration object, read from the environment and validated at start.
import path from 'node:path';
import { z } from 'zod';

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(fallback);

const envSchema = z.object({
  PORT: port('PORT', 3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1, 'DATA_DIR must not be empty').default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  SMTP_PORT: port('SMTP_PORT', 2525),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  KUNDE_ADMIN_EMAIL: z.string().email('KUNDE_ADMIN_EMAIL must be an email address').optional(),
  KUNDE_ADMIN_PASSWORD: z
    .string()
    .min(8, 'KUNDE_ADMIN_PASSWORD must be at least 8 characters')
    .max(256, 'KUNDE_ADMIN_PASSWORD must be at most 256 characters')
    .optional(),
  KUNDE_ACCOUNT_NAME: z.string().min(1).max(100).default('Kunde'),
  // The platform administrator's credential: a guessable one would hand out every account.
  KUNDE_PLATFORM_TOKEN: z
    .string()
    .min(32, 'KUNDE_PLATFORM_TOKEN must be at least 32 characters (openssl rand -base64 32)')
    .max(256, 'KUNDE_PLATFORM_TOKEN must be at most 256 characters')
    .regex(/^[\x21-\x7e]+$/, 'KUNDE_PLATFORM_TOKEN must be printable ASCII without spaces')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };
  smtpPort: number;
  smtpUrl: string | undefined;
  admin: { email: string; password: string; accountName: string } | undefined;
  /** Turns on /api/platform/v1 (accounts across the platform); off when undefined. */
  platformToken: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {}

/** Reads the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.KUNDE_ADMIN_EMAIL) !== Boolean(e.KUNDE_ADMIN_PASSWORD)) {
    throw new ConfigError(
      'Invalid configuration:\n  KUNDE_ADMIN_EMAIL and KUNDE_ADMIN_PASSWORD must be set together',
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { dialect: 'postgres', url: e.DATABASE_URL }
      : { dialect: 'sqlite', file: path.join(dataDir, 'kunde.db') },
    smtpPort: e.SMTP_PORT,
    smtpUrl: e.SMTP_URL,
    admin:
      e.KUNDE_ADMIN_EMAIL && e.KUNDE_ADMIN_PASSWORD
        ? {
            email: e.KUNDE_ADMIN_EMAIL,
            password: e.KUNDE_ADMIN_PASSWORD,
            accountName: e.KUNDE_ACCOUNT_NAME,
          }
        : undefined,
    platformToken: e.KUNDE_PLATFORM_TOKEN,
    logLevel: e.LOG_LEVEL,
  };
}
