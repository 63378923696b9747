// The two reference points every endpoint is compared with, served by bare Fastify + pg against the
// same database, pool size and machine: no auth, no validation, no logging.
// - GET /plain/:id    one patient row by primary key
// - GET /audited/:id  the same read plus an audit-row insert in one round trip (a data-modifying CTE)
import Fastify from 'fastify';
import pg from 'pg';

const port = Number(process.env.BASELINE_PORT ?? 3420);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const app = Fastify({ logger: false });
const COLUMNS = `id, mrn, "givenName", "familyName", "birthDate", phone, email, "createdAt", "updatedAt"`;

app.get<{ Params: { id: string } }>('/plain/:id', async (request, reply) => {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM patients WHERE id = $1`, [request.params.id]);
  return rows[0] ?? reply.code(404).send({ error: 'not found' });
});

app.get<{ Params: { id: string } }>('/audited/:id', async (request, reply) => {
  const { rows } = await pool.query(
    `WITH a AS (INSERT INTO audit_events ("actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", "requestId")
                VALUES ('00000000-0000-4000-8000-0000000000be', 'baseline', 'front_desk', 'patient.read', 'patient', $1::text, $1::uuid, $2))
     SELECT ${COLUMNS} FROM patients WHERE id = $1::uuid`,
    [request.params.id, String(request.id)],
  );
  return rows[0] ?? reply.code(404).send({ error: 'not found' });
});

app.get('/readyz', async () => ({ status: 'ready' }));

const close = () =>
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
await app.listen({ host: '127.0.0.1', port });
