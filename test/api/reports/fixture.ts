// Raw-SQL builders for report fixtures: rows and their audit events with explicit timestamps, so a
// report's every line (including hours between an exemption and a booking) is known in advance.
import type pg from 'pg';

export const uid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const DR = { id: 'c0000000-0000-4000-8000-000000000001', name: 'Dr Rivera', role: 'clinician' } as const;
export const DESK = { id: 'f0000000-0000-4000-8000-000000000001', name: 'Front Desk Ann', role: 'front_desk' } as const;
type Actor = typeof DR | typeof DESK;

export function fixtureSql(sql: pg.Client) {
  const audit = (
    at: string,
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string,
    patientId: string,
    before: unknown,
    after: unknown,
  ) =>
    sql.query(
      `INSERT INTO audit_events (at, "actorId", "actorName", "actorRole", action, "entityType", "entityId", "patientId", before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        at,
        actor.id,
        actor.name,
        actor.role,
        action,
        entityType,
        entityId,
        patientId,
        before === null ? null : JSON.stringify(before),
        after === null ? null : JSON.stringify(after),
      ],
    );

  return {
    audit,
    async patient(id: string, mrn: string, at: string) {
      await sql.query(
        `INSERT INTO patients (id, mrn, "givenName", "familyName", "birthDate", "createdAt", "updatedAt") VALUES ($1, $2, 'Fixture', 'Patient', '1970-01-01', $3, $3)`,
        [id, mrn, at],
      );
      await audit(at, DESK, 'patient.create', 'patient', id, id, null, { id, mrn });
    },
    async episode(e: {
      id: string;
      patientId: string;
      started: string;
      at: string;
      severity?: string;
      signs?: string[];
      region?: string;
      closedAt?: string;
    }) {
      const severity = e.severity ?? 'moderate';
      const signs = e.signs ?? [];
      const exempt = severity === 'severe' || signs.length > 0;
      await sql.query(
        `INSERT INTO episodes (id, "patientId", region, diagnosis, "conservativeCareStartedOn", therapies, severity, "neurologicalSigns", status, "closedAt",
                               "exemptionRecordedAt", "exemptionRecordedById", "exemptionRecordedByName", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, 'radiculopathy', $4, '{physical_therapy}', $5, $6::"NeurologicalSign"[], 'open', NULL, $7, $8, $9, $10, $10)`,
        [
          e.id,
          e.patientId,
          e.region ?? 'lumbar',
          e.started,
          severity,
          signs,
          exempt ? e.at : null,
          exempt ? DR.id : null,
          exempt ? DR.name : null,
          e.at,
        ],
      );
      await audit(e.at, DR, 'episode.create', 'episode', e.id, e.patientId, null, {
        id: e.id,
        severity,
        neurologicalSigns: signs,
        status: 'open',
      });
      if (e.closedAt) {
        await sql.query(`UPDATE episodes SET status = 'closed', "closedAt" = $2, "closedReason" = 'resolved' WHERE id = $1`, [
          e.id,
          e.closedAt,
        ]);
        await audit(
          e.closedAt,
          DR,
          'episode.close',
          'episode',
          e.id,
          e.patientId,
          { severity, neurologicalSigns: signs, status: 'open' },
          { severity, neurologicalSigns: signs, status: 'closed' },
        );
      }
    },
    /** Changes severity/signs as PATCH /v1/episodes/:id does: stamps the exemption columns when exempt. */
    async updateEpisode(
      id: string,
      patientId: string,
      at: string,
      before: { severity: string; signs: string[] },
      after: { severity: string; signs: string[] },
    ) {
      const exempt = after.severity === 'severe' || after.signs.length > 0;
      await sql.query(
        `UPDATE episodes SET severity = $2, "neurologicalSigns" = $3::"NeurologicalSign"[], "updatedAt" = $4,
                "exemptionRecordedAt" = CASE WHEN $5 THEN $4::timestamptz ELSE "exemptionRecordedAt" END,
                "exemptionRecordedById" = CASE WHEN $5 THEN $6::uuid ELSE "exemptionRecordedById" END,
                "exemptionRecordedByName" = CASE WHEN $5 THEN $7 ELSE "exemptionRecordedByName" END
          WHERE id = $1`,
        [id, after.severity, after.signs, at, exempt, DR.id, DR.name],
      );
      await audit(
        at,
        DR,
        'episode.update',
        'episode',
        id,
        patientId,
        { id, severity: before.severity, neurologicalSigns: before.signs },
        { id, severity: after.severity, neurologicalSigns: after.signs },
      );
    },
    async injection(i: {
      id: string;
      patientId: string;
      episodeId: string;
      scheduledAt: string;
      localDate: string;
      bookedAt: string;
      status?: 'scheduled' | 'completed' | 'cancelled' | 'no_show';
      changedAt?: string;
      cancelReason?: string;
      improvement?: number;
      assessedOn?: string;
    }) {
      const status = i.status ?? 'scheduled';
      const completed = status === 'completed';
      await sql.query(
        `INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status, "performedAt", "cancelReason",
                                 "painBefore", "painAfter", "percentImprovement", "assessedOn", "bookedById", "bookedByName", "performedById", "performedByName", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, '{L4-L5}', 'transforaminal', 'left', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
        [
          i.id,
          i.patientId,
          i.episodeId,
          i.scheduledAt,
          i.localDate,
          status,
          completed ? i.scheduledAt : null,
          i.cancelReason ?? null,
          i.improvement === undefined ? null : 8,
          i.improvement === undefined ? null : 8 - Math.round((8 * i.improvement) / 100),
          i.improvement ?? null,
          i.assessedOn ?? null,
          DESK.id,
          DESK.name,
          completed ? DR.id : null,
          completed ? DR.name : null,
          i.bookedAt,
        ],
      );
      await audit(i.bookedAt, DESK, 'injection.book', 'injection', i.id, i.patientId, null, {
        id: i.id,
        localDate: i.localDate,
        status: 'scheduled',
      });
      const action = { scheduled: null, completed: 'injection.complete', cancelled: 'injection.cancel', no_show: 'injection.no_show' }[
        status
      ];
      if (action)
        await audit(
          i.changedAt ?? i.scheduledAt,
          completed ? DR : DESK,
          action,
          'injection',
          i.id,
          i.patientId,
          { status: 'scheduled' },
          { status },
        );
      if (i.assessedOn)
        await audit(`${i.assessedOn}T17:00:00Z`, DR, 'injection.outcome', 'injection', i.id, i.patientId, null, {
          percentImprovement: i.improvement,
        });
    },
  };
}
