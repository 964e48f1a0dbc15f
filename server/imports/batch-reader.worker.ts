// The reading thread of batch-reader.ts: parses batches and sends them, never more than
// READ_AHEAD ahead of what the import has asked for.
import { parentPort, workerData } from 'node:worker_threads';
import { READ_AHEAD, parseBatches, type BatchSource, type ThreadMessage } from './batch-reader.ts';
import { CsvFormatError } from './csv-reader.ts';

const port = parentPort;
if (!port) throw new Error('batch-reader.worker.ts runs as a worker thread');
const send = (message: ThreadMessage) => port.postMessage(message);

let credit = READ_AHEAD;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit += 1;
  wake?.();
});

try {
  for await (const batch of parseBatches((workerData as { source: BatchSource }).source)) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit -= 1;
    send({ type: 'batch', batch });
  }
  send({ type: 'end' });
} catch (error) {
  send({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
    csv: error instanceof CsvFormatError,
    csvRow: error instanceof CsvFormatError ? error.row : undefined,
  });
}
port.close();
