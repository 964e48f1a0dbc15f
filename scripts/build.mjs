// The production build, and how `npm start`, the `kunde` command and the tests know it is current.
//   node scripts/build.mjs             builds the console (Vite) and the server (esbuild)
//   node scripts/build.mjs --if-stale  builds only the parts whose sources changed (npm start)
//   … web | server                     only that part
// Each part is built into a fresh folder in dist/, and dist/web or dist/server, a symbolic link,
// is switched to it by one rename, so a node serving the previous build never sees an emptied or
// half-written folder. Each part's folder holds .build-stamp, a hash of the sources it was built
// from: the part is current while the hash matches (a content hash, not mtimes: a checkout or a
// copy does not force a rebuild).
// Plain JavaScript: it must run under plain node, before anything is built.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = '.build-stamp';
/** Where `npm start` (and the Dockerfile, and the bench) find the compiled server. */
export const COMPILED_MAIN = 'dist/server/main.js';

const SHARED_SOURCES = ['common', 'package.json', 'package-lock.json', 'scripts/build.mjs'];
/** @type {Record<'web' | 'server', { dir: string, sources: string[], build: (out: string) => Promise<void> }>} */
const PARTS = {
  web: {
    dir: path.join(DIST, 'web'),
    sources: ['web', 'vite.config.ts', ...SHARED_SOURCES],
    build: buildWeb,
  },
  server: {
    dir: path.join(DIST, 'server'),
    sources: ['server', 'tsconfig.json', ...SHARED_SOURCES],
    build: buildServer,
  },
};

/** Tests and their fixtures do not change what is built. @param {string} name */
const notBuilt = (name) => /\.test\.tsx?$/.test(name) || name === 'test' || name === 'fixtures';

/** @param {string} entry @returns {string[]} */
function sourceFiles(entry) {
  if (!fs.existsSync(entry)) return [];
  if (!fs.statSync(entry).isDirectory()) return [entry];
  return fs
    .readdirSync(entry)
    .filter((name) => !notBuilt(name))
    .flatMap((name) => sourceFiles(path.join(entry, name)));
}

/** @param {'web' | 'server'} part */
export function sourceHash(part) {
  const hash = crypto.createHash('sha256');
  const files = PARTS[part].sources.flatMap((source) => sourceFiles(path.join(ROOT, source)));
  for (const file of files.sort()) {
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * @param {'web' | 'server'} part
 * @returns {'current' | 'stale' | 'missing'}
 */
export function partState(part) {
  const stamp = path.join(PARTS[part].dir, STAMP);
  if (!fs.existsSync(stamp)) return 'missing';
  return fs.readFileSync(stamp, 'utf8').trim() === sourceHash(part) ? 'current' : 'stale';
}

/**
 * Builds `part` into a new folder, then points dist/<part> at it. dist/<part> is a symbolic link
 * (to .<part>-<hash>-<pid>) replaced by one rename, so whoever reads through it at any moment
 * sees the whole old build or the whole new one, never an empty or missing folder. The build it
 * replaced is kept (a node started from it loads its worker bundles from there; node runs a
 * linked main module from its real path); older ones are removed.
 * @param {'web' | 'server'} part
 */
export async function buildPart(part) {
  const { dir, build } = PARTS[part];
  const hash = sourceHash(part);
  const name = `.${part}-${hash.slice(0, 12)}-${process.pid}`;
  const fresh = path.join(DIST, `${name}.building`);
  fs.rmSync(fresh, { recursive: true, force: true });
  fs.mkdirSync(fresh, { recursive: true });
  try {
    await build(fresh);
    fs.writeFileSync(path.join(fresh, STAMP), `${hash}\n`);
    fs.rmSync(path.join(DIST, name), { recursive: true, force: true });
    fs.renameSync(fresh, path.join(DIST, name));
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  const previous = linkTarget(dir);
  const link = `${dir}.link-${process.pid}`;
  fs.rmSync(link, { force: true });
  fs.symlinkSync(name, link);
  // A folder from before dist/<part> was a link can only be moved aside first (once).
  if (previous === undefined && fs.existsSync(dir)) fs.renameSync(dir, `${dir}.old-${process.pid}`);
  fs.renameSync(link, dir);
  fs.rmSync(`${dir}.old-${process.pid}`, { recursive: true, force: true });
  removeOldBuilds(part, [name, previous]);
}

/**
 * Removes dist/.<part>-* folders but `keep`, and but those of a build still running (another
 * `npm start` may be about to link its own).
 * @param {'web' | 'server'} part
 * @param {(string | undefined)[]} keep
 */
function removeOldBuilds(part, keep) {
  for (const entry of fs.readdirSync(DIST)) {
    if (!entry.startsWith(`.${part}-`) || keep.includes(entry)) continue;
    const pid = Number(/-(\d+)(\.building)?$/.exec(entry)?.[1]);
    if (pid !== process.pid && isRunning(pid)) continue;
    fs.rmSync(path.join(DIST, entry), { recursive: true, force: true });
  }
}

/** @param {number} pid */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** The folder name a dist/<part> link points at; undefined when it is not a link. */
function linkTarget(/** @type {string} */ link) {
  try {
    return fs.readlinkSync(link);
  } catch {
    return undefined;
  }
}

/** @param {unknown} error */
const errorCode = (error) =>
  error instanceof Error ? /** @type {NodeJS.ErrnoException} */ (error).code : undefined;

/**
 * Builds the parts that are missing or stale; answers the ones it built.
 * @param {readonly ('web' | 'server')[]} parts
 */
export async function ensureBuilt(parts = /** @type {const} */ (['web', 'server'])) {
  const stale = parts.filter((part) => partState(part) !== 'current');
  for (const part of stale) await buildPart(part);
  return stale;
}

/** @param {string} out */
async function buildWeb(out) {
  const { build } = await import('vite');
  // Vite takes NODE_ENV from the environment when it is set, and vitest sets it to "test": the
  // console the browser tests built was React's development build (1.07 MB of vendor script
  // instead of 0.84, and slower). The console is always built for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: out, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  precompress(out);
}

/** Files worth compressing: text the browser fetches. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/;

/**
 * Writes a .br and a .gz beside every text file of the console, once at build time, so the
 * server sends them as they are (@fastify/static's preCompressed) instead of compressing each
 * response: brotli at its best quality costs seconds here, never per request.
 * @param {string} dir
 */
export function precompress(dir) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) {
      precompress(file);
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const content = fs.readFileSync(file);
    if (content.length < 1024) continue;
    fs.writeFileSync(
      `${file}.br`,
      zlib.brotliCompressSync(content, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    );
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
  }
}

/**
 * One bundle per entry: main.js and cli.js, and one per `*.worker.ts` (a worker thread starts
 * from a file of its own). Packages stay in node_modules (better-sqlite3 is native; the runtime
 * image installs production dependencies). Source `.ts` paths map onto dist/ as `.js`.
 * @param {string} out
 */
async function buildServer(out) {
  const esbuild = await import('esbuild');
  const serverDir = path.join(ROOT, 'server');
  const workers = sourceFiles(serverDir).filter((file) => file.endsWith('.worker.ts'));
  const entries = [path.join(serverDir, 'main.ts'), path.join(serverDir, 'cli.ts'), ...workers];
  // Where each source would sit in a file-per-module build: server/x.ts → dist/server/x.js.
  /** @param {string} file */
  const mirror = (file) => path.join(DIST, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
  const results = await Promise.all(
    entries.map((entry) =>
      esbuild.build({
        entryPoints: [entry],
        outfile: path.join(out, path.relative(serverDir, entry).replace(/\.ts$/, '.js')),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        sourcemap: true,
        metafile: true,
        logLevel: 'warning',
        plugins: [importMetaPlugin(path.dirname(mirror(entry)), mirror, new Set(workers))],
      }),
    ),
  );
  checkRuntimeDependencies(results.map((result) => result.metafile));
}

/** @returns {{ dependencies?: Record<string, string> }} */
function readPackageJson() {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- the shape is declared above
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
}

/**
 * The runtime image installs `dependencies` only: a package the server imports must be one.
 * @param {import('esbuild').Metafile[]} metafiles
 */
function checkRuntimeDependencies(metafiles) {
  const pkg = readPackageJson();
  const missing = new Set();
  for (const metafile of metafiles) {
    for (const output of Object.values(metafile.outputs)) {
      for (const { path: specifier, external } of output.imports) {
        if (!external || specifier.startsWith('node:')) continue;
        const name = specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
        if (!pkg.dependencies?.[name]) missing.add(name);
      }
    }
  }
  if (missing.size) {
    throw new Error(
      `The server imports ${[...missing].join(', ')}, not in package.json "dependencies" ` +
        '(the production install would lack it)',
    );
  }
}

/**
 * In a bundle every module shares the bundle's import.meta.url; this gives each module the URL
 * it would have in dist/ (so `path.dirname` of it and "am I the main module" stay true), and
 * points `new URL('./x.worker.ts', import.meta.url)` at that worker's own bundle.
 * @param {string} bundleDir
 * @param {(file: string) => string} mirror
 * @param {Set<string>} workers
 * @returns {import('esbuild').Plugin}
 */
function importMetaPlugin(bundleDir, mirror, workers) {
  /** @param {string} file */
  const relativeUrl = (file) => {
    const relative = path.relative(bundleDir, mirror(file)).split(path.sep).join('/');
    return JSON.stringify(relative.startsWith('.') ? relative : `./${relative}`);
  };
  return {
    name: 'kunde-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        let code = await fs.promises.readFile(args.path, 'utf8');
        if (!code.includes('import.meta')) return { contents: code, loader: 'ts' };
        const where = path.relative(ROOT, args.path);
        if (/import\.meta\.(dirname|filename)\b/.test(code)) {
          throw new Error(
            `${where}: use import.meta.url (the build maps it; not dirname/filename)`,
          );
        }
        const pattern =
          /new URL\(\s*(['"])(\.{1,2}\/[^'"]+)\.ts\1\s*,\s*import\.meta\.url\s*\)|import\.meta\.url/g;
        code = code.replace(pattern, (/** @type {string} */ match, _quote, specifier) => {
          if (specifier === undefined)
            return `new URL(${relativeUrl(args.path)}, import.meta.url).href`;
          const target = path.resolve(path.dirname(args.path), `${specifier}.ts`);
          if (!workers.has(target)) {
            throw new Error(`${where}: ${match} names a .ts file that is not a *.worker.ts entry`);
          }
          return `new URL(${relativeUrl(target)}, import.meta.url)`;
        });
        return { contents: code, loader: 'ts' };
      });
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  const named = process.argv.slice(2).filter((arg) => arg === 'web' || arg === 'server');
  const parts = named.length ? named : /** @type {const} */ (['web', 'server']);
  const states = Object.fromEntries(parts.map((part) => [part, partState(part)]));
  const todo = ifStale ? parts.filter((part) => states[part] !== 'current') : [...parts];
  try {
    for (const part of todo) {
      const started = Date.now();
      const why = states[part] === 'missing' ? 'not built yet' : 'its sources changed';
      if (ifStale) console.error(`Building the ${part === 'web' ? 'console' : 'server'} (${why})…`);
      await buildPart(part);
      if (!ifStale)
        console.error(
          `Built ${path.relative(ROOT, PARTS[part].dir)} in ${Date.now() - started} ms`,
        );
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      errorCode(error) === 'ERR_MODULE_NOT_FOUND'
        ? `The build needs the devDependencies (${message}); run \`npm install\` first.`
        : message,
    );
    process.exit(1);
  }
}
