// Serves the built dashboard (web/dist) at `/`, with client-side routes falling back to index.html.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export default fp(
  async (app: FastifyInstance) => {
    if (!existsSync(DASHBOARD_DIR)) {
      app.get('/', { schema: { hide: true } }, async (_req, reply) =>
        reply
          .type('text/html')
          .send('<!doctype html><title>ESI Scheduler</title><p>The dashboard has not been built. Run <code>npm run build:web</code>.</p>'),
      );
      return;
    }
    await app.register(fastifyStatic, { root: DASHBOARD_DIR, prefix: '/', wildcard: false, index: ['index.html'] });
    app.get('/app/*', { schema: { hide: true } }, async (_req, reply) => reply.sendFile('index.html'));
  },
  { name: 'dashboard' },
);
