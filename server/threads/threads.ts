// Worker threads, started the same way under npm start, the CLI and the tests. From source the
// entry is a .ts module and a thread starts without the parent's loader, so ts-worker.js registers
// tsx first; in the compiled build (scripts/build.mjs) every `*.worker.ts` is bundled on its own
// and the URL naming a worker's .ts source is rewritten to that bundle's .js, which starts as is.
import { Worker, type ResourceLimits } from 'node:worker_threads';

export function startTsWorker(
  entry: URL,
  data: Record<string, unknown>,
  resourceLimits?: ResourceLimits,
): Worker {
  if (entry.pathname.endsWith('.js'))
    return new Worker(entry, { workerData: data, resourceLimits });
  return new Worker(new URL('./ts-worker.js', import.meta.url), {
    argv: [entry.href],
    workerData: data,
    resourceLimits,
  });
}
