// What one client of the SMTP intake may take: connections open at once and messages per minute
// per IP address, and the bytes of one message held in memory. The intake is open to anyone on
// the internet without authentication, so every resource it spends on a client has a bound.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * What a limit counts as one client: an IPv4 address, or an IPv6 /64, the block one customer
 * network or host usually gets (a single /128 would let it take 2^64 allowances).
 */
export function clientKey(address: string): string {
  const bare = address.split('%')[0] ?? address;
  if (!net.isIPv6(bare)) return address;
  const [left = '', right] = bare.split('::');
  const head = left ? left.split(':') : [];
  const tail = right ? right.split(':') : [];
  // An IPv4 tail (::ffff:192.0.2.1) stands for two groups.
  const tailGroups = tail.length + (tail.at(-1)?.includes('.') ? 1 : 0);
  const groups = [...head, ...Array<string>(Math.max(0, 8 - head.length - tailGroups)).fill('0')];
  const prefix = [...groups, ...tail].slice(0, 4).map((group) => group.replace(/^0+(?=.)/, ''));
  return `${prefix.join(':')}::/64`;
}

/** Open connections per client IP; a connection over the limit is refused at connect. */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerIp: number) {}

  /** Counts a new connection from `ip`, or answers false when it already has its maximum. */
  tryOpen(ip: string): boolean {
    const count = this.open.get(ip) ?? 0;
    if (count >= this.maxPerIp) return false;
    this.open.set(ip, count + 1);
    return true;
  }

  release(ip: string): void {
    const count = (this.open.get(ip) ?? 0) - 1;
    if (count > 0) this.open.set(ip, count);
    else this.open.delete(ip);
  }
}

/**
 * Messages per minute per client IP, as a token bucket: a client may send `perMinute` at once
 * and then one every 60/perMinute seconds, so a steady sender under the rate is never refused.
 */
export class MessageRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one message from `ip`'s allowance, or answers false when it is used up. */
  tryTake(ip: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(ip) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (this.buckets.size > 10_000) this.forgetIdle(now);
    this.buckets.set(ip, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** A full bucket says nothing a new one would not, so the map stays as big as the busy IPs. */
  private forgetIdle(now: number): void {
    for (const [ip, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.perMinute) this.buckets.delete(ip);
    }
  }
}

/** Up to this much of a message is kept in memory; the rest of a bigger one waits in a file. */
export const IN_MEMORY_BYTES = 1024 * 1024;

export type ReceivedMessage = { raw: Buffer; bytes: number } | { raw: undefined; bytes: number };

/**
 * Reads a DATA stream to its end. The first megabyte stays in memory; a bigger message goes on
 * into a file in `spoolDir` and is read back once, at its exact size, when it is whole. Past
 * `maxBytes` the file is dropped and the rest only counted, so an oversized message costs its
 * sender time and never the server's memory; the answer then has no `raw` and the caller
 * refuses the message. A memory-only buffer would hold every connection's message up to the
 * limit at once: 10 connections × 25 MB per client address.
 */
export function receiveMessage(
  stream: Readable,
  maxBytes: number,
  spoolDir: string,
): Promise<ReceivedMessage> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let bytes = 0;
    let spool: { path: string; file: fs.WriteStream } | undefined;
    let failed = false;
    // Settles once the spool file is gone. The stream opens its file asynchronously, so the file
    // is removed after the stream has closed, or a late open would bring it back.
    let dropped: Promise<void> = Promise.resolve();
    const dropSpool = () => {
      if (!spool) return;
      const { path: file, file: out } = spool;
      spool = undefined;
      dropped = new Promise((settle) => {
        const remove = () => fs.rm(file, { force: true }, () => settle());
        if (out.closed) return remove();
        out.once('close', remove);
        out.destroy();
      });
    };
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      dropSpool();
      // The rest of the message is still read (and only counted), so the connection goes on.
      stream.resume();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (failed) return;
      if (bytes > maxBytes) {
        chunks = [];
        dropSpool();
        return;
      }
      if (!spool && bytes <= IN_MEMORY_BYTES) {
        chunks.push(chunk);
        return;
      }
      if (!spool) {
        const file = path.join(spoolDir, `${randomUUID()}.eml.part`);
        spool = { path: file, file: fs.createWriteStream(file) };
        spool.file.on('error', fail);
        spool.file.write(Buffer.concat(chunks));
        chunks = [];
      }
      // The client waits while the disk catches up, as TCP lets it.
      if (!spool.file.write(chunk)) {
        stream.pause();
        spool.file.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => {
      if (failed) return;
      if (bytes > maxBytes) return void dropped.then(() => resolve({ raw: undefined, bytes }));
      if (!spool) return resolve({ raw: Buffer.concat(chunks, bytes), bytes });
      const { path: file, file: out } = spool;
      out.end(() => {
        fs.promises
          .readFile(file)
          .then(async (raw) => {
            spool = undefined;
            await fs.promises.rm(file, { force: true });
            resolve({ raw, bytes });
          })
          .catch(fail);
      });
    });
    stream.on('error', fail);
  });
}

/** Spool files a crashed process left behind (one hour is far past any SMTP timeout). */
export function removeStaleSpool(spoolDir: string): void {
  fs.mkdirSync(spoolDir, { recursive: true });
  const hourAgo = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(spoolDir)) {
    const file = path.join(spoolDir, name);
    if (name.endsWith('.eml.part') && fs.statSync(file).mtimeMs < hourAgo) fs.rmSync(file);
  }
}
