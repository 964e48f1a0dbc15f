// What one client of the SMTP intake may take: connections open at once and messages per minute
// per IP address, and the bytes of one message held in memory. The intake is open to anyone on
// the internet without authentication, so every resource it spends on a client has a bound.
import type { Readable } from 'node:stream';

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

/**
 * The bytes of a message, copied into a few growing blocks as they arrive (so the socket's small
 * chunks are not kept) and joined once at the end; a message of one block is not copied again.
 */
class MessageBytes {
  private readonly blocks: Buffer[] = [];
  private used = 0;
  size = 0;

  append(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      let block = this.blocks.at(-1);
      if (!block || this.used === block.length) {
        // Each block as big as everything so far (64 KB to 8 MB): a handful of blocks per
        // message, and never more than the message's size again in unused space.
        block = Buffer.allocUnsafeSlow(Math.min(Math.max(this.size, 64 * 1024), 8 * 1024 * 1024));
        this.blocks.push(block);
        this.used = 0;
      }
      const copied = chunk.copy(block, this.used, offset);
      this.used += copied;
      offset += copied;
      this.size += copied;
    }
  }

  toBuffer(): Buffer {
    const last = this.blocks.at(-1);
    if (!last) return Buffer.alloc(0);
    if (this.blocks.length === 1) return last.subarray(0, this.used);
    this.blocks[this.blocks.length - 1] = last.subarray(0, this.used);
    return Buffer.concat(this.blocks, this.size);
  }
}

export type ReceivedMessage = { raw: Buffer; bytes: number } | { raw: undefined; bytes: number };

/**
 * Reads a DATA stream to its end. Past `maxBytes` what was kept is let go and the rest is only
 * counted, so an oversized message costs its sender time and never the server's memory; the
 * answer then has no `raw` and the caller refuses the message.
 */
export function receiveMessage(stream: Readable, maxBytes: number): Promise<ReceivedMessage> {
  return new Promise((resolve, reject) => {
    let kept: MessageBytes | undefined = new MessageBytes();
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) kept = undefined;
      else kept?.append(chunk);
    });
    stream.on('end', () =>
      resolve(kept ? { raw: kept.toBuffer(), bytes } : { raw: undefined, bytes }),
    );
    stream.on('error', reject);
  });
}
