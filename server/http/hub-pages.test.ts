// The Customer Hub's pages are a second application beside the console: /hub and every path
// under it that is not a file answer the Hub's index.html (its router takes over), never the
// console's, so a customer can never land on the agents' login page. Over real HTTP, on a web
// folder laid out as Vite writes the two entries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/server.ts';
import { buildApp } from './app.ts';

const CONSOLE_HTML = '<!doctype html><title>Kunde console</title>';
const HUB_HTML = '<!doctype html><title>Kunde Customer Hub</title>';

describe('Customer Hub pages', () => {
  let server: TestServer;
  const roots: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  async function serve(withHub: boolean): Promise<string> {
    const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-hub-pages-'));
    roots.push(webRoot);
    fs.writeFileSync(path.join(webRoot, 'index.html'), CONSOLE_HTML);
    if (withHub) {
      fs.mkdirSync(path.join(webRoot, 'hub'));
      fs.writeFileSync(path.join(webRoot, 'hub', 'index.html'), HUB_HTML);
    }
    const app = await buildApp({ services: server.services, webRoot, logLevel: 'warn' });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    return url;
  }

  let url: string;
  beforeAll(async () => {
    server = await startTestServer();
    url = await serve(true);
  });

  afterAll(async () => {
    for (const close of closers) await close();
    await server.close();
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  it.each([
    '/hub',
    '/hub/',
    '/hub?lang=nb',
    '/hub/acme',
    '/hub/acme/tickets/42',
    '/hub/acme/link?token=x',
  ])('answers the Hub application at %s', async (page) => {
    const response = await fetch(`${url}${page}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(HUB_HTML);
  });

  it.each(['/', '/customers', '/hubs', '/hubble/x'])('answers the console at %s', async (page) => {
    const response = await fetch(`${url}${page}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(CONSOLE_HTML);
  });

  it('keeps unknown Hub API paths API 404s', async () => {
    const response = await fetch(`${url}/api/hub/v1/no-such-route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('never falls back to the console when the Hub was not built', async () => {
    const bare = await serve(false);
    const response = await fetch(`${bare}/hub/acme`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('Kunde console');
    expect((await fetch(`${bare}/customers`)).status).toBe(200);
  });
});
