// One POST of a webhook delivery: the signature of common/webhook.ts, a 10-second timeout, no
// redirects followed (a 3xx is a failed attempt: following one would let an endpoint point
// Kunde at an address it was never registered with), and, unless allowed, no private address.
//
// Private addresses (loopback, RFC 1918, link-local, unique-local, CGNAT, metadata services at
// 169.254.169.254) are refused by default because an administrator of one account could
// otherwise make Kunde's nodes probe the network they run in (SSRF). The check is made on the
// address the connection actually uses (a lookup hook), so a name that resolves to a private
// address, or changes to one after registration (DNS rebinding), is refused as well. An
// installation that delivers to its own network sets KUNDE_WEBHOOK_ALLOW_PRIVATE=true; tests,
// which receive on 127.0.0.1, turn it on too.
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER } from '../../common/webhook.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Of a response body, only this much is read (and thrown away): the status is what counts. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface SendOptions {
  allowPrivateAddresses: boolean;
  timeoutMs?: number;
}

export interface SendOutcome {
  /** The HTTP status, when a response came. */
  status: number | null;
  /** Why the attempt failed; null when it was a 2xx. */
  error: string | null;
  durationMs: number;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "${t}.${body}">`, as common/webhook.ts says. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it maps (BlockList itself would
  // judge an IPv4 address against the IPv6 rules as mapped, so no rule covers ::ffff:0:0/96).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

const PRIVATE_REFUSAL = 'refused: the address is private (KUNDE_WEBHOOK_ALLOW_PRIVATE is off)';

/** A lookup that fails for private addresses: the guard sits where the socket connects. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const usable = addresses.filter((a) => !isPrivateAddress(a.address));
    if (!usable.length) return callback(new Error(PRIVATE_REFUSAL), '', 0);
    if (options.all) return callback(null, usable, 0);
    const first = usable[0]!;
    callback(null, first.address, first.family);
  });
};

export function sendWebhook(
  url: string,
  secret: string,
  delivery: { id: string; eventType: string; body: string },
  options: SendOptions,
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateAddresses && isIP(host) && isPrivateAddress(host))
    return Promise.resolve({ status: null, error: PRIVATE_REFUSAL, durationMs: 0 });
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const body = Buffer.from(delivery.body, 'utf8');
  const headers = {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'user-agent': 'Kunde-Webhooks/1',
    [EVENT_HEADER]: delivery.eventType,
    [DELIVERY_HEADER]: delivery.id,
    [SIGNATURE_HEADER]: signatureHeader(secret, delivery.body, Math.floor(Date.now() / 1000)),
  };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, error, durationMs: elapsed() });
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        headers,
        agent: false,
        ...(options.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () =>
          finish(status, status >= 200 && status < 300 ? null : `answered HTTP ${status}`);
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish(null, `no answer within ${timeoutMs / 1000} s`);
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) =>
      finish(null, error.message.slice(0, 500) || 'connection failed'),
    );
    request.end(body);
  });
}
