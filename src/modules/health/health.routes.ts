import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/prisma.ts';
import { auditTrailExposure, type AuditTrailExposure } from '../../db/roles.ts';
import { sendProblem } from '../../plugins/errors.plugin.ts';

const READY_TIMEOUT_MS = 2_000;

export const healthRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  // Whether the role the server queries as could rewrite the audit trail (SPEC §8): asked once, on the
  // first answer from the database, since roles and grants do not change under a running server.
  let exposure: AuditTrailExposure | undefined;

  app.get('/healthz', { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      const client = await db.pool.connect();
      let failure: Error | undefined;
      try {
        await Promise.race([
          (async () => {
            await client.query('SELECT 1');
            exposure ??= await auditTrailExposure(client);
          })(),
          new Promise((_, rej) => setTimeout(() => rej(new Error('readiness query timed out')), READY_TIMEOUT_MS).unref()),
        ]);
      } catch (err) {
        failure = err as Error;
        throw err;
      } finally {
        // A connection whose query failed or is still running is discarded, not handed to the next request.
        client.release(failure);
      }
      return exposure?.exposed
        ? { status: 'ready', database: 'up', auditTrail: 'writable by the serving role', warnings: exposure.reasons }
        : { status: 'ready', database: 'up', auditTrail: 'append-only' };
    } catch (err) {
      request.log.warn({ err: { message: (err as Error).message } }, 'database not ready');
      reply.header('retry-after', '5');
      return sendProblem(reply, 503, 'SERVICE.UNAVAILABLE', 'The database is unreachable');
    }
  });
};
