#!/usr/bin/env node
// The `kunde` command. Runs the compiled CLI (dist/server/cli.js from `npm run build`) when that
// build is current; in a checkout whose server sources changed since (or were never built) it
// runs server/cli.ts through tsx instead, so it never runs stale code and needs no build step.
// Where there are no sources (the container image) the build is all there is.
import fs from 'node:fs';

const compiled = new URL('../dist/server/cli.js', import.meta.url);
const source = new URL('../server/cli.ts', import.meta.url);

if (!fs.existsSync(source)) {
  await import(compiled.href);
} else {
  const { partState } = await import('../scripts/build.mjs');
  if (partState('server') === 'current') {
    await import(compiled.href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(source.href);
  }
}
