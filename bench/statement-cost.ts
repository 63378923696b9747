// `node --import tsx bench/statement-cost.ts [--database-url URL]` — each hot statement driven straight

// alone sets for each endpoint's ratio. Fused reads run inside transactions that are rolled back? No:
// they insert audit rows like the real endpoints do, into the benchmark database.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { HISTORY_SQL } from '../src/modules/injections/injection-reads.repository.ts';
import { ELIGIBILITY_SQL } from '../src/modules/injections/rule-facts.repository.ts';
import { PATIENT_DETAIL_SQL } from '../src/modules/patients/patient-detail.repository.ts';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/esi_bench' },
    rounds: { type: 'string', default: '3' },
  },
});
const pool = new pg.Pool({ connectionString: args['database-url'], max: 10 });
const ids = (await pool.query<{ id: string }>(`SELECT id FROM patients ORDER BY random() LIMIT 4000`)).rows.map((r) => r.id);
const ACTOR = ['00000000-0000-4000-8000-0000000000be', 'statement-cost', 'front_desk', 'statement-cost'];
const COLS = `id, mrn, "givenName", "familyName", "birthDate", phone, email, "createdAt", "updatedAt"`;
const statements: [string, string, (id: string) => unknown[]][] = [
  ['baseline plain', `SELECT ${COLS} FROM patients WHERE id = $1::uuid`, (id) => [id]],
  [
    'baseline audited',
    `WITH a AS (INSERT INTO audit_events ("actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", "requestId")
     VALUES ('00000000-0000-4000-8000-0000000000be', 'baseline', 'front_desk', 'patient.read', 'patient', $1::text, $1::uuid, 'statement-cost'))
     SELECT ${COLS} FROM patients WHERE id = $1::uuid`,
    (id) => [id],
  ],
  ['eligibility', ELIGIBILITY_SQL, (id) => [id, ...ACTOR]],
  ['patient', PATIENT_DETAIL_SQL, (id) => [id, ...ACTOR]],
  ['history', HISTORY_SQL, (id) => [id, ...ACTOR]],
];
const rates = new Map<string, number[]>();
for (let round = 0; round < Number(args.rounds); round++) {
  for (const [name, text, values] of statements) {
    const t0 = performance.now();
    let i = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (i < ids.length) await pool.query({ name, text, values: values(ids[i++]!) });
      }),
    );
    rates.set(name, [...(rates.get(name) ?? []), ids.length / ((performance.now() - t0) / 1000)]);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const audited = median(rates.get('baseline audited')!);
for (const [name, rs] of rates)
  console.log(`${name.padEnd(17)} ${median(rs).toFixed(0).padStart(6)} statements/s  x audited ${(median(rs) / audited).toFixed(2)}`);
await pool.end();
