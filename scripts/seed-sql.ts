// The synthetic clinic, generated inside PostgreSQL with INSERT … SELECT over generate_series: no row
// crosses the wire, so a million injections load in seconds. Every row obeys the rules:
// - R2: a patient's injections sit on a grid of weekdays (clinic days) `start + k·step + jitter` with
//   step ≥ 10 and jitter in [0, step − 10], so consecutive ones are ≥ 10 weekdays, i.e. ≥ 14 calendar
//   days, apart (the exclusion constraint, re-created afterwards, checks it).
// - R1: a non-exempt episode's conservative care starts ≥ 42 days before its first injection; an exempt
//   one (severe, or a neurological sign) may start later than that.
// - R3 / lifecycle: only a patient's last episode can be open; a closed episode's future bookings are
//   cancelled, as closing does. Past bookings are completed, cancelled or no-shows; future ones scheduled.
// Instants are clinic-local wall times converted with AT TIME ZONE, so DST dates get the right offset.

export interface SeedParams {
  patients: number;
  injections: number;
  /** Clinic-local "today", YYYY-MM-DD. */
  today: string;
  zone: string;
  audit: boolean;
}

const GIVEN = [
  'Avery',
  'Blake',
  'Casey',
  'Dana',
  'Emery',
  'Finley',
  'Gray',
  'Harper',
  'Indy',
  'Jordan',
  'Kai',
  'Logan',
  'Morgan',
  'Noel',
  'Oakley',
  'Parker',
  'Quinn',
  'Reese',
  'Sage',
  'Tatum',
  'Umber',
  'Vale',
  'Wren',
  'Xen',
  'Yael',
  'Zion',
  'Ari',
  'Bo',
  'Cy',
  'Dell',
];
const FAMILY = [
  'Ashgrove',
  'Brightwater',
  'Coldbrook',
  'Dunmore',
  'Elmsworth',
  'Fairhollow',
  'Glenhaven',
  'Hartwell',
  'Ivybridge',
  'Juniper',
  'Kestrel',
  'Larkspur',
  'Marlow',
  'Northcott',
  'Oakridge',
  'Pennywhistle',
  'Quillfeather',
  'Ravensworth',
  'Stonebury',
  'Thistlewood',
  'Underhill',
  'Vantwood',
  'Whitlock',
  'Yarrowby',
  'Zephyrine',
  'Alderney',
  'Bramblecote',
  'Cinderford',
  'Dovecot',
  'Emberly',
];
const sqlArray = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/** Statements in order; each is one round trip. Seeded random() makes a run reproducible except uuids. */
export function seedStatements(p: SeedParams): { label: string; sql: string }[] {
  const today = `date '${p.today}'`;
  const zone = `'${p.zone.replace(/'/g, "''")}'`;
  const avg = p.injections / Math.max(1, p.patients);
  // Dates are counted in weekdays from a Monday ten years back (the window grows when the busiest
  // patient's injections would not fit at the minimum step); weekday w is M0 + 7·(w / 5) + w % 5.
  const windowWeekdays = Math.max(2610, Math.ceil(2 * avg + 1) * 10 + 80);
  const t = new Date(`${p.today}T00:00:00Z`);
  const start = new Date(t.getTime() - Math.ceil((windowWeekdays * 7) / 5) * 86_400_000);
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7)); // back to Monday
  const m0 = `date '${start.toISOString().slice(0, 10)}'`;
  const daysToToday = Math.round((t.getTime() - start.getTime()) / 86_400_000);
  const todayW = Math.floor(daysToToday / 7) * 5 + Math.min(4, daysToToday % 7);
  const weekday = (w: string) => `(${m0} + 7 * ((${w}) / 5) + (${w}) % 5)`;
  return [
    { label: 'random seed', sql: `SELECT setseed(0.4242)` },
    {
      label: 'patient plan',
      sql: `CREATE TEMP TABLE seed_p0 AS
        SELECT g AS seq, gen_random_uuid() AS id, floor(random() * ${2 * avg + 1})::int AS c0,
               2 + floor(random() * 4)::int AS per_ep, random() AS r, random() AS ra
          FROM generate_series(1, ${p.patients}) g`,
    },
    {
      // Scale the random counts so they add up to exactly --injections.
      label: 'injection counts',
      sql: `CREATE TEMP TABLE seed_p AS
        SELECT seq, id, per_ep, r, ra,
               (floor(cum * ${p.injections}::numeric / greatest(total, 1)) - floor((cum - c0) * ${p.injections}::numeric / greatest(total, 1)))::int AS c
          FROM (SELECT *, sum(c0) OVER (ORDER BY seq) AS cum, sum(c0) OVER () AS total FROM seed_p0) x;
        ALTER TABLE seed_p ADD COLUMN step int, ADD COLUMN t0 int;
        UPDATE seed_p SET step = 10 + floor(random() * greatest(1, least(260, ${windowWeekdays} / greatest(c, 1)) - 9))::int;
        -- Two in five patients are in active care: their last booking lies within weeks of today.
        UPDATE seed_p SET t0 = CASE WHEN ra < 0.4 THEN greatest(0, ${todayW} - (c - 1) * step - 20 + floor(random() * 40)::int)
                                    ELSE floor(random() * greatest(1, ${windowWeekdays} + 40 - c * step))::int END`,
    },
    {
      label: 'injection dates',
      sql: `CREATE TEMP TABLE seed_i AS
        SELECT p.seq, p.id AS patient_id, k, k / p.per_ep AS ep, ${weekday('w')} AS d,
               random() AS r1, random() AS r2, random() AS r3
          FROM seed_p p CROSS JOIN LATERAL generate_series(0, p.c - 1) k
          CROSS JOIN LATERAL (SELECT p.t0 + k * p.step + floor(random() * (p.step - 9))::int AS w) ww`,
    },
    {
      // One episode per chunk of injections; patients without injections get one fresh open episode.
      label: 'episode plan',
      sql: `CREATE TEMP TABLE seed_e AS
        SELECT x.*, gen_random_uuid() AS id, random() AS rs, random() AS rn, random() AS rt, random() AS rg
          FROM (SELECT seq, patient_id, ep, min(d) AS first_d, max(d) AS last_d FROM seed_i GROUP BY seq, patient_id, ep
                UNION ALL SELECT seq, id, 0, NULL, NULL FROM seed_p WHERE c = 0) x;
        ALTER TABLE seed_e ADD COLUMN is_last boolean, ADD COLUMN open boolean, ADD COLUMN severity "Severity",
          ADD COLUMN signs "NeurologicalSign"[], ADD COLUMN started date, ADD COLUMN region "Region";
        UPDATE seed_e e SET is_last = e.first_d IS NULL OR e.ep = (p.c - 1) / p.per_ep FROM seed_p p WHERE p.seq = e.seq;
        UPDATE seed_e SET open = is_last AND (last_d IS NULL OR last_d >= ${today} - 540),
          severity = (CASE WHEN rs < 0.15 THEN 'severe' WHEN rs < 0.55 THEN 'moderate' ELSE 'mild' END)::"Severity",
          signs = (CASE WHEN rn < 0.10 THEN ARRAY['numbness'] WHEN rn < 0.17 THEN ARRAY['tingling','numbness']
                        WHEN rn < 0.19 THEN ARRAY['reflex_loss'] WHEN rn < 0.205 THEN ARRAY['weakness']
                        WHEN rn < 0.207 THEN ARRAY['bowel_bladder'] ELSE ARRAY[]::text[] END)::"NeurologicalSign"[],
          region = (CASE WHEN rg < 0.75 THEN 'lumbar' WHEN rg < 0.95 THEN 'cervical' ELSE 'thoracic' END)::"Region";
        UPDATE seed_e SET started = CASE
          WHEN first_d IS NULL THEN ${today} - floor(rt * 120)::int
          WHEN severity = 'severe' OR cardinality(array_remove(signs, 'bowel_bladder')) > 0 THEN first_d - 7 - floor(rt * 60)::int
          ELSE first_d - 42 - floor(rt * 60)::int END;
        CREATE INDEX ON seed_e (seq, ep)`,
    },
    {
      label: 'patients',
      sql: `WITH ins AS (
        INSERT INTO patients (id, mrn, "givenName", "familyName", "birthDate", phone, email, "createdAt", "updatedAt")
        SELECT p.id, 'MRN-' || lpad(p.seq::text, 7, '0'),
               (${sqlArray(GIVEN)})[1 + (p.seq * 7) % ${GIVEN.length}],
               (${sqlArray(FAMILY)})[1 + (p.seq * 13 / ${GIVEN.length}) % ${FAMILY.length}] || CASE WHEN p.seq % 3 = 0 THEN '-' || (${sqlArray(FAMILY)})[1 + p.seq % ${FAMILY.length}] ELSE '' END,
               date '1930-01-01' + floor(p.r * 27000)::int,
               CASE WHEN p.seq % 10 < 8 THEN '+1 555 01' || lpad((p.seq % 100)::text, 2, '0') END,
               CASE WHEN p.seq % 10 < 5 THEN 'patient' || p.seq || '@example.test' END,
               least(now(), (e.started - 3 + time '09:00') AT TIME ZONE ${zone}),
               least(now(), (e.started - 3 + time '09:00') AT TIME ZONE ${zone})
          FROM seed_p p JOIN seed_e e ON e.seq = p.seq AND e.ep = 0
        RETURNING id, "createdAt")
        ${
          p.audit
            ? `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", "requestId")
          SELECT "createdAt", (SELECT id FROM api_keys WHERE name = 'seed-front-desk'), 'seed-front-desk', 'front_desk', 'patient.create', 'patient', id::text, id, 'seed' FROM ins`
            : 'SELECT count(*) FROM ins'
        }`,
    },
    {
      label: 'episodes',
      sql: `WITH ins AS (
        INSERT INTO episodes (id, "patientId", region, diagnosis, "conservativeCareStartedOn", therapies, severity, "neurologicalSigns", "clearedRedFlags",
                              status, "closedReason", "closedAt", "exemptionRecordedAt", "exemptionRecordedById", "exemptionRecordedByName", "createdAt", "updatedAt")
        SELECT e.id, e.patient_id, e.region,
               CASE e.region WHEN 'lumbar' THEN 'L5 radiculopathy' WHEN 'cervical' THEN 'C6 radiculopathy' ELSE 'Thoracic radicular pain' END,
               e.started,
               (CASE WHEN e.rt < 0.5 THEN ARRAY['medication','physical_therapy'] WHEN e.rt < 0.8 THEN ARRAY['physical_therapy','exercise_education']
                     ELSE ARRAY['medication','activity_modification'] END)::"Therapy"[],
               e.severity, e.signs, array(SELECT unnest(e.signs) INTERSECT SELECT 'bowel_bladder'::"NeurologicalSign"),
               (CASE WHEN e.open THEN 'open' ELSE 'closed' END)::"EpisodeStatus",
               CASE WHEN NOT e.open THEN CASE WHEN e.rs < 0.5 THEN 'Symptoms resolved' ELSE 'Care plan completed' END END,
               CASE WHEN NOT e.open THEN least(now(), (coalesce(e.last_d, e.started) + 1 + time '17:00') AT TIME ZONE ${zone}) END,
               CASE WHEN e.severity = 'severe' OR cardinality(array_remove(e.signs, 'bowel_bladder')) > 0 THEN least(now(), (e.started + 1 + time '10:00') AT TIME ZONE ${zone}) END,
               CASE WHEN e.severity = 'severe' OR cardinality(array_remove(e.signs, 'bowel_bladder')) > 0 THEN (SELECT id FROM api_keys WHERE name = 'seed-clinician') END,
               CASE WHEN e.severity = 'severe' OR cardinality(array_remove(e.signs, 'bowel_bladder')) > 0 THEN 'seed-clinician' END,
               least(now(), (e.started + 1 + time '10:00') AT TIME ZONE ${zone}),
               least(now(), (coalesce(e.last_d, e.started) + 1 + time '17:00') AT TIME ZONE ${zone})
          FROM seed_e e
        RETURNING id, "patientId", "createdAt")
        ${
          p.audit
            ? `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", "requestId")
          SELECT "createdAt", (SELECT id FROM api_keys WHERE name = 'seed-clinician'), 'seed-clinician', 'clinician', 'episode.create', 'episode', id::text, "patientId", 'seed' FROM ins`
            : 'SELECT count(*) FROM ins'
        }`,
    },
    {
      label: 'injections',
      sql: `WITH src AS (
        SELECT i.*, e.id AS episode_id, e.region, e.open, e.created_at AS ep_created,
               ((i.d + time '08:00' + (floor(i.r3 * 17)::int * interval '30 minutes')) AT TIME ZONE ${zone}) AS at,
               CASE WHEN i.d >= ${today} AND NOT e.open THEN 'cancelled'
                    WHEN i.d >= ${today} THEN CASE WHEN i.r1 < 0.93 THEN 'scheduled' ELSE 'cancelled' END
                    WHEN i.r1 < 0.86 THEN 'completed' WHEN i.r1 < 0.94 THEN 'cancelled' ELSE 'no_show' END AS status
          FROM seed_i i JOIN (SELECT seq, ep, id, region, open, (started + 1 + time '10:00') AT TIME ZONE ${zone} AS created_at FROM seed_e) e
            ON e.seq = i.seq AND e.ep = i.ep),
      shaped AS (
        SELECT src.*, CASE WHEN status = 'completed' AND d + 14 <= ${today} AND r2 < 0.75 THEN 5 + floor(r2 * 6.6)::int END AS pb,
               floor(r2 * 1000)::int % 101 AS imp
          FROM src),
      ins AS (
        INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status, "performedAt",
                                "cancelReason", "painBefore", "painAfter", "percentImprovement", "assessedOn",
                                "bookedById", "bookedByName", "performedById", "performedByName", "createdAt", "updatedAt")
        SELECT gen_random_uuid(), patient_id, episode_id, at, d,
               CASE region WHEN 'cervical' THEN ARRAY[(ARRAY['C5-C6','C6-C7','C7-T1'])[1 + k % 3]]
                           WHEN 'thoracic' THEN ARRAY[(ARRAY['T10-T11','T11-T12'])[1 + k % 2]]
                           ELSE CASE WHEN r3 < 0.1 THEN ARRAY[]::text[] ELSE ARRAY[(ARRAY['L4-L5','L5-S1','L3-L4'])[1 + k % 3]] END END::varchar(10)[],
               (CASE WHEN region = 'lumbar' AND r3 < 0.1 THEN 'caudal' WHEN r3 < 0.6 THEN 'transforaminal' ELSE 'interlaminar' END)::"Approach",
               (CASE WHEN region = 'lumbar' AND r3 < 0.1 THEN 'midline' WHEN r3 < 0.3 THEN 'left' WHEN r3 < 0.55 THEN 'right' WHEN r3 < 0.6 THEN 'bilateral' ELSE 'midline' END)::"Side",
               status::"InjectionStatus",
               CASE WHEN status = 'completed' THEN at + interval '25 minutes' END,
               CASE WHEN status = 'cancelled' THEN CASE WHEN d >= ${today} AND NOT open THEN 'Episode closed: Symptoms resolved' WHEN r2 < 0.5 THEN 'Patient request' ELSE 'Clinic rescheduled' END END,
               pb, CASE WHEN pb IS NOT NULL THEN round(pb * (100 - imp) / 100.0)::int END,
               CASE WHEN pb IS NOT NULL THEN greatest(0, round((pb - round(pb * (100 - imp) / 100.0)) * 100.0 / pb))::int END,
               CASE WHEN pb IS NOT NULL THEN least(${today}, d + 14 + floor(r1 * 14)::int) END,
               (SELECT id FROM api_keys WHERE name = 'seed-front-desk'), 'seed-front-desk',
               CASE WHEN status = 'completed' THEN (SELECT id FROM api_keys WHERE name = 'seed-clinician') END,
               CASE WHEN status = 'completed' THEN 'seed-clinician' END,
               least(now(), greatest(ep_created + interval '1 hour', at - (1 + floor(r2 * 40)::int) * interval '1 day')),
               least(now(), greatest(ep_created + interval '1 hour', CASE WHEN status = 'scheduled' THEN at - (1 + floor(r2 * 40)::int) * interval '1 day' ELSE at + interval '1 hour' END))
          FROM shaped
        RETURNING id, "patientId", "createdAt", "localDate", "scheduledAt", levels)
        ${
          p.audit
            ? `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", "requestId", after)
          SELECT "createdAt", (SELECT id FROM api_keys WHERE name = 'seed-front-desk'), 'seed-front-desk', 'front_desk', 'injection.book', 'injection', id::text, "patientId", 'seed',
                 jsonb_build_object('id', id, 'localDate', "localDate", 'scheduledAt', "scheduledAt", 'levels', levels, 'status', 'scheduled') FROM ins`
            : 'SELECT count(*) FROM ins'
        }`,
    },
    {
      // R4 and R5 as the clinic recorded them: a clearance for every red flag booked past, and a
      // consultation for every episode holding more than two counted injections.
      label: 'clearances and consultations',
      sql: `INSERT INTO red_flag_clearances (id, "episodeId", "patientId", "redFlags", reason, "recordedAt", "recordedById", "recordedByName")
        SELECT gen_random_uuid(), e.id, e."patientId", e."clearedRedFlags", 'Seen by spine surgery; no cauda equina syndrome',
               e."createdAt" + interval '1 hour', (SELECT id FROM api_keys WHERE name = 'seed-clinician'), 'seed-clinician'
          FROM episodes e WHERE cardinality(e."clearedRedFlags") > 0;
        INSERT INTO consultations (id, "episodeId", "patientId", "allowInjections", note, "recordedAt", "recordedById", "recordedByName")
        SELECT gen_random_uuid(), i."episodeId", min(i."patientId"::text)::uuid, least(12, greatest(3, count(*)))::smallint, 'Further injections agreed',
               min(i."createdAt"), (SELECT id FROM api_keys WHERE name = 'seed-clinician'), 'seed-clinician'
          FROM injections i WHERE i.status IN ('scheduled', 'completed')
         GROUP BY i."episodeId" HAVING count(*) > 2`,
    },
  ];
}
