// How the console's files travel: the build writes brotli and gzip copies beside each bundle
// (scripts/build.mjs precompress) and the server sends the one the browser accepts; bundles named
// by their content are cached for a year, index.html is checked on every load. Over real HTTP
// with the raw bytes (node:http does not decompress), on a console folder laid out as Vite
// writes it.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '../../scripts/build.mjs';
import { startTestServer, type TestServer } from '../test/server.ts';
import { buildApp } from './app.ts';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on('error', reject);
  });
}

describe('console assets', () => {
  let server: TestServer;
  let webRoot: string;
  let url: string;
  let close: () => Promise<void>;
  const bundle = `console.log(${JSON.stringify('Kunde '.repeat(2000))});\n`;

  beforeAll(async () => {
    server = await startTestServer();
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-assets-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'assets', 'index-CoiYeHh_.js'), bundle);
    fs.writeFileSync(
      path.join(webRoot, 'index.html'),
      `<!doctype html><title>Kunde</title>${'<!-- padding -->'.repeat(100)}`,
    );
    fs.writeFileSync(path.join(webRoot, 'favicon.txt'), 'k');
    precompress(webRoot);
    const app = await buildApp({ services: server.services, webRoot, logLevel: 'warn' });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
  });

  afterAll(async () => {
    await close();
    await server.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  it('writes brotli and gzip copies of text files, and leaves tiny files alone', () => {
    const js = path.join(webRoot, 'assets', 'index-CoiYeHh_.js');
    expect(zlib.brotliDecompressSync(fs.readFileSync(`${js}.br`)).toString()).toBe(bundle);
    expect(zlib.gunzipSync(fs.readFileSync(`${js}.gz`)).toString()).toBe(bundle);
    expect(fs.statSync(`${js}.br`).size).toBeLessThan(bundle.length / 20);
    expect(fs.existsSync(path.join(webRoot, 'favicon.txt.br'))).toBe(false);
  });

  it('sends the encoding the browser accepts, and caches hashed bundles for a year', async () => {
    const asset = `${url}/assets/index-CoiYeHh_.js`;
    const br = await get(asset, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(bundle);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const gz = await get(asset, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(bundle);
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const plain = await get(asset);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(bundle);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('has the browser check index.html on every load, also for a console route', async () => {
    for (const page of ['/', '/index.html', '/customers']) {
      const response = await get(`${url}${page}`, 'br');
      expect(response.status, page).toBe(200);
      expect(response.headers['cache-control'], page).toBe('no-cache');
      const html =
        response.headers['content-encoding'] === 'br'
          ? zlib.brotliDecompressSync(response.body).toString()
          : response.body.toString();
      expect(html, page).toContain('<title>Kunde</title>');
    }
  });

  it('answers a bundle the build does not hold with a 404, not the console page', async () => {
    // A tab opened before a release asks for a page chunk of the build it came from: the console
    // must see a failed fetch (and offer Reload), not HTML the browser refuses as a script.
    const missing = await get(`${url}/assets/TicketPage-Old0Hash.js`, 'br');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).not.toMatch(/html/);
    expect((await get(`${url}/customers/assets/x`)).headers['content-type']).toMatch(/html/);
  });
});
