// Serving the dashboard: text files are compressed once at build (gzip and brotli copies) and sent to
// browsers that accept them; hashed assets are cached for a year as immutable, index.html is revalidated.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dashboardPlugin, { IMMUTABLE } from '../../src/plugins/dashboard.plugin.ts';
import { precompress } from '../../web/precompress.ts';

let dir: string;
let app: FastifyInstance;
const script = `export const x = ${JSON.stringify('a dashboard bundle '.repeat(200))};\n`;
const html = `<!doctype html><html><head><title>ESI Scheduler</title><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div>${' '.repeat(300)}</body></html>`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esi-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), html);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), script);
  writeFileSync(join(dir, 'tiny.txt'), 'small');
  precompress(dir);
  app = Fastify();
  await app.register(dashboardPlugin, { root: dir });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard serving', () => {
  it('writes gzip and brotli copies that decompress to the original, and skips tiny files', () => {
    const js = join(dir, 'assets', 'index-abc123.js');
    expect(gunzipSync(readFileSync(`${js}.gz`)).toString()).toBe(script);
    expect(brotliDecompressSync(readFileSync(`${js}.br`)).toString()).toBe(script);
    expect(() => readFileSync(join(dir, 'tiny.txt.gz'))).toThrow();
  });

  it('sends a hashed asset brotli-compressed when accepted, cached as immutable for a year', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.rawPayload.length).toBeLessThan(script.length / 5);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(script);
  });

  it('falls back to gzip, and to the plain file for a client that accepts neither', async () => {
    const gz = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('revalidates index.html, also when served for an app route, and compresses it', async () => {
    for (const url of ['/', '/app/patients/123']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(res.rawPayload).toString()).toBe(html);
    }
  });
});
