// The production build as `npm start` uses it (scripts/build.mjs): a current build is left alone,
// and a rebuild switches dist/server over without a moment where a reader finds it missing, empty
// or half-written (another node may be serving the same checkout).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { START_NODE_FLAGS } from '../bench/kunde-process.ts';
import { COMPILED_MAIN, partState } from '../scripts/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER_LINK = path.join(ROOT, 'dist', 'server');
const MAIN = path.join(ROOT, COMPILED_MAIN);

describe('the production build', () => {
  it('is what npm start and the container image run, with the same node flags', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const command = ['node', ...START_NODE_FLAGS, COMPILED_MAIN];
    expect(pkg.scripts.start).toMatch(new RegExp(`&& ${command.join(' ')}$`));
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(/^CMD (.*)$/m.exec(dockerfile)?.[1]).toBe(JSON.stringify(command).replace(/,/g, ', '));
  });

  it("is current after the test set-up, and npm start's build step then builds nothing", () => {
    expect(partState('server')).toBe('current');
    const before = fs.readlinkSync(SERVER_LINK);
    const run = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale', 'server'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(fs.readlinkSync(SERVER_LINK)).toBe(before);
  });

  it('switches dist/server to a new build while a reader keeps finding a whole one', async () => {
    const before = fs.readlinkSync(SERVER_LINK);
    const expected = fs.readFileSync(MAIN, 'utf8');
    const rebuild = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const b = await import('./scripts/build.mjs'); await b.buildPart('server');",
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    let done = false;
    const exit = new Promise<number | null>((resolve) =>
      rebuild.once('exit', (code) => {
        done = true;
        resolve(code);
      }),
    );
    let reads = 0;
    const problems: string[] = [];
    while (!done) {
      try {
        if (fs.readFileSync(MAIN, 'utf8') !== expected) problems.push('main.js differed');
        if (!fs.existsSync(path.join(SERVER_LINK, 'imports', 'batch-reader.worker.js')))
          problems.push('the worker bundle was missing');
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exit).toBe(0);
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(50);
    expect(fs.readlinkSync(SERVER_LINK)).not.toBe(before);
    expect(partState('server')).toBe('current');
    // The build it replaced stays for nodes started from it; it is the only one kept.
    expect(fs.existsSync(path.join(ROOT, 'dist', before))).toBe(true);
  });
});
