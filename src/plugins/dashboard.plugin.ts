// Serves the built dashboard (web/dist) at `/`, with client-side routes falling back to index.html.
// The build writes gzip and brotli copies beside each text file (web/vite.config.ts), served to
// browsers that accept them; files under /assets/ carry a content hash in their name, so they are
// cached for a year as immutable, while index.html and the rest are revalidated on every load.
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

function cacheHeaders(reply: FastifyReply, path: string): void {
  const hashed = path.includes(`${sep}assets${sep}`);
  reply.header('cache-control', hashed ? IMMUTABLE : REVALIDATE);
}

export default fp(
  async (app: FastifyInstance, opts: { root?: string }) => {
    const root = opts.root ?? DASHBOARD_DIR;
    if (!existsSync(root)) {
      app.get('/', { schema: { hide: true } }, async (_req, reply) =>
        reply
          .type('text/html')
          .send('<!doctype html><title>ESI Scheduler</title><p>The dashboard has not been built. Run <code>npm run build:web</code>.</p>'),
      );
      return;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      setHeaders: cacheHeaders,
    });
    app.get('/app/*', { schema: { hide: true } }, async (_req, reply) => reply.sendFile('index.html'));
  },
  { name: 'dashboard' },
);
