// The one typed configuration object, read from the environment and validated at start.
import path from 'node:path';
import { z } from 'zod';
import type { FileBackend } from './files/file-store.ts';
import type { S3Settings } from './files/s3-file-store.ts';

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(fallback);

/** A whole number from `min` to `max`; the message names the range, the variable is named by the path. */
const wholeNumber = (min: number, max: number, fallback: number, unit = '') => {
  const message = `must be a whole number${unit} from ${min} to ${max}`;
  return z.coerce
    .number({ error: message })
    .int(message)
    .min(min, message)
    .max(max, message)
    .default(fallback);
};

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
  // Defaults a helpdesk's inbound mail never meets; the benchmark raises them for its one client.
  // 25 MB, as MAX_EMAIL_BYTES in intake/email-intake.ts (not imported: the CLI reads config too).
  SMTP_MAX_MESSAGE_BYTES: wholeNumber(1024, 1024 ** 3, 25 * 1024 ** 2, ' of bytes'),
  SMTP_MAX_CONNECTIONS_PER_IP: wholeNumber(1, 100_000, 10),
  SMTP_MESSAGES_PER_MINUTE_PER_IP: wholeNumber(1, 10_000_000, 120),
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
  // Guards /metrics (operational numbers across every account); without it /metrics is off (404).
  KUNDE_METRICS_TOKEN: z
    .string()
    .min(32, 'KUNDE_METRICS_TOKEN must be at least 32 characters (openssl rand -base64 32)')
    .max(256, 'KUNDE_METRICS_TOKEN must be at most 256 characters')
    .regex(/^[\x21-\x7e]+$/, 'KUNDE_METRICS_TOKEN must be printable ASCII without spaces')
    .optional(),
  // How long SIGTERM/SIGINT waits for HTTP requests, SMTP transactions and the running job
  // batch before cutting them off; under the orchestrator's own limit (Docker: 10 s).
  KUNDE_SHUTDOWN_GRACE_MS: wholeNumber(1000, 600_000, 10_000, ' of milliseconds'),
  // Where agents reach the console (links in email, e.g. an archive is ready); default this node.
  KUNDE_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'KUNDE_PUBLIC_URL must be an http:// or https:// address')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Client IPs (login throttling) from X-Forwarded-For: only behind a proxy that sets it.
  TRUST_PROXY: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  // Webhooks to private and local addresses (webhooks/webhook-send.ts): off, against SSRF.
  KUNDE_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false'),
  // Where files live (files/open-file-store.ts); left out: local on SQLite, the database on
  // PostgreSQL unless DATA_DIR/files already holds files.
  KUNDE_FILE_STORE: z
    .enum(['local', 'database', 's3'], { error: 'must be local, database or s3' })
    .optional(),
  KUNDE_S3_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// address')
    .optional(),
  KUNDE_S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens',
    )
    .optional(),
  KUNDE_S3_REGION: z.string().min(1).default('us-east-1'),
  KUNDE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  KUNDE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  KUNDE_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false'),
  // Tuning, with the defaults Kunde is measured with (docs in README.md).
  KUNDE_IMPORT_MAX_BYTES: wholeNumber(1024, 16 * 1024 ** 3, 256 * 1024 ** 2, ' of bytes'),
  KUNDE_IMPORT_BATCH_SIZE: wholeNumber(100, 100_000, 5000),
  KUNDE_JOB_LEASE_MS: wholeNumber(1000, 3_600_000, 30_000, ' of milliseconds'),
  KUNDE_AUTH_CACHE_MS: wholeNumber(0, 60_000, 5000, ' of milliseconds'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };
  smtpPort: number;
  smtpUrl: string | undefined;
  /** Limits of the SMTP intake: it listens to anyone, so each has a bound. */
  smtp: { maxMessageBytes: number; maxConnectionsPerIp: number; messagesPerMinutePerIp: number };
  admin: { email: string; password: string; accountName: string } | undefined;
  /** Turns on /api/platform/v1 (accounts across the platform); off when undefined. */
  platformToken: string | undefined;
  /** Turns on /metrics, behind `Authorization: Bearer <token>`; off (404) when undefined. */
  metricsToken: string | undefined;
  /** Everything a shutdown does happens within this many milliseconds (KUNDE_SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: number;
  /** KUNDE_PUBLIC_URL, else http://localhost:PORT: the console's address in email links. */
  publicUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  /** KUNDE_WEBHOOK_ALLOW_PRIVATE: deliver webhooks to private and local addresses too. */
  webhooks: { allowPrivateAddresses: boolean };
  /** KUNDE_FILE_STORE (undefined: chosen by open-file-store.ts) and the bucket for s3. */
  files: { backend: FileBackend | undefined; s3: S3Settings | undefined };
  tuning: Tuning;
}

/** Sizes and times the services take; each has a default, so tests build services without it. */
export interface Tuning {
  /** Largest CSV file an import accepts. */
  importMaxBytes: number;
  /** Rows an import writes per transaction. */
  importBatchSize: number;
  /** How long a claimed job is this node's before another node may take it over. */
  jobLeaseMs: number;
  /** How long a resolved token or session is remembered (0: not at all). */
  authCacheMs: number;
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
  if (e.KUNDE_FILE_STORE === 's3' && !e.KUNDE_S3_BUCKET) {
    throw new ConfigError(
      'Invalid configuration:\n  KUNDE_S3_BUCKET must be set when KUNDE_FILE_STORE is s3',
    );
  }
  if (Boolean(e.KUNDE_S3_ACCESS_KEY_ID) !== Boolean(e.KUNDE_S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError(
      'Invalid configuration:\n  KUNDE_S3_ACCESS_KEY_ID and KUNDE_S3_SECRET_ACCESS_KEY must be set together',
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
    smtp: {
      maxMessageBytes: e.SMTP_MAX_MESSAGE_BYTES,
      maxConnectionsPerIp: e.SMTP_MAX_CONNECTIONS_PER_IP,
      messagesPerMinutePerIp: e.SMTP_MESSAGES_PER_MINUTE_PER_IP,
    },
    admin:
      e.KUNDE_ADMIN_EMAIL && e.KUNDE_ADMIN_PASSWORD
        ? {
            email: e.KUNDE_ADMIN_EMAIL,
            password: e.KUNDE_ADMIN_PASSWORD,
            accountName: e.KUNDE_ACCOUNT_NAME,
          }
        : undefined,
    platformToken: e.KUNDE_PLATFORM_TOKEN,
    metricsToken: e.KUNDE_METRICS_TOKEN,
    shutdownGraceMs: e.KUNDE_SHUTDOWN_GRACE_MS,
    publicUrl: e.KUNDE_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === 'true',
    webhooks: { allowPrivateAddresses: e.KUNDE_WEBHOOK_ALLOW_PRIVATE === 'true' },
    files: {
      backend: e.KUNDE_FILE_STORE,
      s3: e.KUNDE_S3_BUCKET
        ? {
            endpoint: e.KUNDE_S3_ENDPOINT,
            bucket: e.KUNDE_S3_BUCKET,
            region: e.KUNDE_S3_REGION,
            accessKeyId: e.KUNDE_S3_ACCESS_KEY_ID,
            secretAccessKey: e.KUNDE_S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.KUNDE_S3_FORCE_PATH_STYLE === 'true',
          }
        : undefined,
    },
    tuning: {
      importMaxBytes: e.KUNDE_IMPORT_MAX_BYTES,
      importBatchSize: e.KUNDE_IMPORT_BATCH_SIZE,
      jobLeaseMs: e.KUNDE_JOB_LEASE_MS,
      authCacheMs: e.KUNDE_AUTH_CACHE_MS,
    },
  };
}
