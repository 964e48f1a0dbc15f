// The SSRF guard and the signature, without a database: private and local addresses are refused
// when written as such and when a name resolves to one; public ones pass; the signature is the
// HMAC-SHA256 of `${t}.${body}` that common/webhook.ts documents.
import { createHmac } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress, sendWebhook, signatureHeader } from './webhook-send.ts';
import { retryDelayMs } from './webhook-delivery.ts';
import { startReceiver } from './webhook.testkit.ts';

describe('webhook sending', () => {
  it('knows private, loopback, link-local and mapped addresses from public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['8.8.8.8', '151.101.1.69', '2a00:1450:4001:80b::200e', '172.32.0.1'])
      expect(isPrivateAddress(address), address).toBe(false);
  });

  it('refuses to post to 127.0.0.1 or to a name that resolves to it unless private addresses are allowed', async () => {
    const receiver = await startReceiver();
    try {
      const delivery = { id: 'd1', eventType: 'ping', body: '{"type":"ping"}' };
      const byIp = await sendWebhook(receiver.url, 's', delivery, { allowPrivateAddresses: false });
      expect(byIp.error).toMatch(/private/);
      const byName = await sendWebhook(
        receiver.url.replace('127.0.0.1', 'localhost'),
        's',
        delivery,
        {
          allowPrivateAddresses: false,
        },
      );
      expect(byName.error).toMatch(/private/);
      expect(receiver.received).toHaveLength(0);
      const allowed = await sendWebhook(receiver.url, 's', delivery, {
        allowPrivateAddresses: true,
      });
      expect(allowed).toMatchObject({ status: 200, error: null });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('times out a receiver that never answers', async () => {
    // Accepts the connection and never says a word.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const slow = await sendWebhook(
        `http://127.0.0.1:${port}/`,
        's',
        { id: 'd', eventType: 'ping', body: '{}' },
        { allowPrivateAddresses: true, timeoutMs: 300 },
      );
      expect(slow).toMatchObject({ status: null, error: 'no answer within 0.3 s' });
      expect(slow.durationMs).toBeGreaterThanOrEqual(290);
      expect(slow.durationMs).toBeLessThan(2000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => {
        silent.close(() => resolve());
      });
    }
  });

  it('signs `${t}.${body}` with HMAC-SHA256', () => {
    const header = signatureHeader('whsec_x', '{"a":1}', 1700000000);
    const v1 = createHmac('sha256', 'whsec_x').update('1700000000.{"a":1}').digest('hex');
    expect(header).toBe(`t=1700000000,v1=${v1}`);
  });

  it('waits about a minute after the first failure and doubles, with bounded jitter', () => {
    expect(retryDelayMs(1, () => 0)).toBe(48_000);
    expect(retryDelayMs(1, () => 1)).toBe(72_000);
    expect(retryDelayMs(2, () => 0.5)).toBe(120_000);
    expect(retryDelayMs(30, () => 0.5)).toBe(6 * 3600_000);
  });
});
