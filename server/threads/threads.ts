// Worker threads that run TypeScript modules, started the same way under npm start, the CLI and
// the tests (a thread starts without the parent's loader, so ts-worker.js registers tsx first).
import { Worker, type ResourceLimits } from 'node:worker_threads';

export function startTsWorker(
  entry: URL,
  data: Record<string, unknown>,
  resourceLimits?: ResourceLimits,
): Worker {
  return new Worker(new URL('./ts-worker.js', import.meta.url), {
    argv: [entry.href],
    workerData: data,
    resourceLimits,
  });
}
