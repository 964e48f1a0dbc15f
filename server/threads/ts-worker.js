// A worker thread's first module: registers tsx (as bin/kunde.js does), then loads the TypeScript
// module named after it on the command line. Plain JavaScript: the thread starts without a loader.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2] ?? '');
