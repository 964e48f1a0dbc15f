// Types for scripts/build.mjs (plain JavaScript so that `npm start` runs it under plain node).
export type BuildPart = 'web' | 'server';
export const ROOT: string;
/** Where `npm start`, the Dockerfile and the bench find the compiled server, from ROOT. */
export const COMPILED_MAIN: string;
export function sourceHash(part: BuildPart): string;
export function partState(part: BuildPart): 'current' | 'stale' | 'missing';
export function buildPart(part: BuildPart): Promise<void>;
/** Builds the parts that are missing or stale; answers the ones it built. */
export function ensureBuilt(parts?: readonly BuildPart[]): Promise<BuildPart[]>;
/** Writes a .br and a .gz beside every text file of 1 KB or more below `dir`. */
export function precompress(dir: string): void;
