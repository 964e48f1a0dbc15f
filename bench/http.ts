// The API side: Kunde in a child process of its own (so the load generator does not share its
// event loop), a keep-alive client for timed sequential requests, and autocannon for throughput.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface BenchServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts bench/server.ts on `target` (sqlite:FILE or a postgres:// URL) and waits for its port. */
export function startServer(target: string, logLevel: string): Promise<BenchServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'server.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, BENCH_TARGET: target, BENCH_LOG_LEVEL: logLevel },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) =>
      reject(new Error(`bench server exited (${code}) before listening`)),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening (\d+)/.exec(output);
      if (!match) return;
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({
        port: Number(match[1]),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export interface Response {
  status: number;
  body: string;
  ms: number;
}

/** A one-connection keep-alive client: what one agent's browser does, without a browser. */
export class Client {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly port: number,
    private readonly token: string,
  ) {}

  /** GET; a keep-alive socket the server closed while idle is retried once on a new one. */
  async get(urlPath: string): Promise<Response> {
    try {
      return await this.once(urlPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ECONNRESET' && code !== 'EPIPE') throw error;
      return this.once(urlPath);
    }
  }

  private once(urlPath: string): Promise<Response> {
    return new Promise((resolve, reject) => {
      const start = performance.now();
      const request = http.get(
        {
          host: '127.0.0.1',
          port: this.port,
          path: urlPath,
          agent: this.agent,
          headers: { authorization: `Bearer ${this.token}` },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - start,
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** autocannon against one route, each request on a path `nextPath()` picks. */
export async function load(
  port: number,
  token: string,
  nextPath: () => string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: nextPath() }) }],
  });
  return {
    requestsPerSecond: result.requests.total / (result.duration || seconds),
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentiles, in milliseconds. */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    mean: sorted.length ? sum / sorted.length : 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}
