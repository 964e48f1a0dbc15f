// Kunde as it runs in production (server/main.ts: HTTP, SMTP intake and the job worker) in a
// child process of its own, so its memory can be read from /proc and the load generator does not
// share its event loop. BENCH_KUNDE_NODE_OPTIONS adds node flags (e.g. --cpu-prof).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { COMPILED_MAIN, ensureBuilt } from '../scripts/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The heap flags `npm start` gives node (bench.test.ts checks that they match). Without them V8
 * lets garbage pile up to a large share of the machine's memory before collecting, which is what
 * peak RSS would then measure: a 128 MB old space and 4 MB semi-spaces keep a million-row import
 * under 270 MB with no loss of speed (the live heap is about 40 MB).
 */
export const START_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];

export interface KundeProcess {
  pid: number;
  port: number;
  smtpPort: number;
  /** Peak resident memory of the process so far (VmHWM), in bytes. */
  peakRss(): number;
  /** CPU time the process has used so far (user + system), in seconds. */
  cpuSeconds(): number;
  /** Samples VmRSS every `ms` until the returned function is called; it answers the peak. */
  sampleRss(ms?: number): () => number;
  /** Settles when the process has exited, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash or the OOM killer would end it: no shutdown, nothing finished. */
  kill(): Promise<void>;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** utime + stime from /proc/PID/stat (in clock ticks of 1/100 s, as on Linux). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Starts the compiled server (dist/server/main.js, built first if stale) as `npm start` does,
 * with DATA_DIR `dataDir` and, for PostgreSQL, DATABASE_URL; HTTP and SMTP
 * on free ports of 127.0.0.1. Answers when it prints that it is running.
 */
export async function startKundeProcess(options: {
  dataDir: string;
  databaseUrl?: string;
  logLevel: string;
  env?: Record<string, string>;
}): Promise<KundeProcess> {
  await ensureBuilt(['server']);
  const extra = (process.env.BENCH_KUNDE_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(
    process.execPath,
    [...START_NODE_FLAGS, ...extra, path.join(ROOT, COMPILED_MAIN)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...options.env,
        DATA_DIR: options.dataDir,
        DATABASE_URL: options.databaseUrl ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        SMTP_PORT: '0',
        SMTP_URL: '',
        KUNDE_ADMIN_EMAIL: '',
        KUNDE_ADMIN_PASSWORD: '',
        LOG_LEVEL: options.logLevel,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stopping = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping)
        process.stderr.write(`Kunde exited (${signal ?? code}) during the run; see kunde.log\n`);
      resolve(code);
    }),
  );
  const pid = child.pid ?? 0;
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`Kunde exited (${code}) before it ran`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /running at http:\/\/[^:]+:(\d+).*SMTP intake on port (\d+)/.exec(output);
      if (!match) return;
      child.stdout?.removeAllListeners('data');
      // The rest of its log goes to DATA_DIR/kunde.log, to read when a run goes wrong.
      const log = fs.createWriteStream(path.join(options.dataDir, 'kunde.log'));
      log.write(output);
      child.stdout?.pipe(log);
      resolve({
        pid,
        port: Number(match[1]),
        smtpPort: Number(match[2]),
        peakRss: () => statusKb(pid, 'VmHWM'),
        cpuSeconds: () => cpuSecondsOf(pid),
        sampleRss: (ms = 100) => {
          let peak = statusKb(pid, 'VmRSS');
          const timer = setInterval(() => {
            peak = Math.max(peak, statusKb(pid, 'VmRSS'));
          }, ms);
          return () => {
            clearInterval(timer);
            return Math.max(peak, statusKb(pid, 'VmRSS'));
          };
        },
        exited,
        stop: async () => {
          stopping = true;
          child.kill('SIGTERM');
          await exited;
        },
        kill: async () => {
          stopping = true;
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
