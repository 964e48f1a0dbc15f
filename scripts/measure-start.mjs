// Start-up time (process start → GET /api/health answers) and idle RSS (3 s after that) of the
// server from source through tsx and of the compiled build, on a fresh SQLite database, with
// npm start's node flags; runs alternate so that a busy machine weighs on both alike.
//   node scripts/measure-start.mjs [runs]     (needs a current build: npm run build)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];
const VARIANTS = {
  'tsx (server/main.ts)': [...FLAGS, '--import', 'tsx', 'server/main.ts'],
  'compiled (dist/server/main.js)': [...FLAGS, 'dist/server/main.js'],
};
const runs = Number(process.argv[2] ?? 3);

/** @param {number} pid */
const rssMb = (pid) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
};

/** @param {string[]} args @returns {Promise<{ ms: number, rss: number }>} */
async function measure(args) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-start-'));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      HOST: '127.0.0.1',
      PORT: '0',
      SMTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let output = '';
    /** @type {string} */
    const port = await new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited (${code}) before it ran`)));
      child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
        output += chunk.toString('utf8');
        const match = /running at http:\/\/[^:]+:(\d+)/.exec(output);
        if (match) resolve(match[1]);
      });
    });
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${String(port)}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return { ms, rss: rssMb(child.pid ?? 0) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** @type {Record<string, { ms: number, rss: number }[]>} */
const results = Object.fromEntries(Object.keys(VARIANTS).map((name) => [name, []]));
for (let run = 1; run <= runs; run++) {
  for (const [name, args] of Object.entries(VARIANTS)) {
    const result = await measure(args);
    results[name]?.push(result);
    console.log(
      `${name} run ${run}: ${result.ms.toFixed(0)} ms, idle RSS ${result.rss.toFixed(1)} MB`,
    );
  }
}
for (const [name, list] of Object.entries(results)) {
  const mean = (/** @type {number[]} */ values) =>
    values.reduce((a, b) => a + b, 0) / values.length;
  console.log(
    `${name}: mean ${mean(list.map((r) => r.ms)).toFixed(0)} ms, ` +
      `idle RSS ${mean(list.map((r) => r.rss)).toFixed(1)} MB`,
  );
}
