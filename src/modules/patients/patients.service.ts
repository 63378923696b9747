import type { Deps } from '../../deps.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { linkResource } from '../../plugins/idempotency-resource.ts';
import { listReadEvent, writeAudit, type RequestContext } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { isUniqueViolation } from '../../shared/db-errors.ts';
import { dateToIso, isoToDate, todayIn } from '../../shared/dates.ts';
import { Uuid, encodeCursor, readCursor } from '../../shared/schemas.ts';
import { toEpisodeDto, toEpisodeFacts } from '../episodes/episodes.repository.ts';
import { clinicalFlags } from '../injections/flags.rules.ts';
import { toInjectionDto } from '../injections/injections.repository.ts';
import { patientSelect, searchWhere, toPatientDto } from './patients.repository.ts';
import { patientDetailRows } from './patient-detail.repository.ts';

interface Demographics {
  givenName?: string | undefined;
  familyName?: string | undefined;
  birthDate?: string | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
}

export class PatientsService {
  constructor(private readonly deps: Deps) {}

  private assertBirthDate(birthDate: string | undefined) {
    if (birthDate && birthDate > todayIn(this.deps.config.clinicTimeZone, this.deps.clock())) {
      throw new AppError('REQUEST.VALIDATION', 'birthDate must not be in the future', {
        errors: [{ path: 'body.birthDate', message: 'must not be in the future' }],
      });
    }
  }

  async create(ctx: RequestContext, body: Demographics & { mrn: string; givenName: string; familyName: string; birthDate: string }) {
    this.assertBirthDate(body.birthDate);
    try {
      return await this.deps.db.prisma.$transaction(async (tx) => {
        const row = await tx.patient.create({
          data: {
            mrn: body.mrn,
            givenName: body.givenName,
            familyName: body.familyName,
            birthDate: isoToDate(body.birthDate),
            phone: body.phone ?? null,
            email: body.email ?? null,
          },
          select: patientSelect,
        });
        const dto = toPatientDto(row);
        await linkResource(tx, ctx, 'patient', row.id);
        await writeAudit(tx, ctx, { action: 'patient.create', entityType: 'patient', entityId: row.id, patientId: row.id, after: dto });
        return dto;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('PATIENT.DUPLICATE_MRN', `A patient with MRN ${body.mrn} already exists`);
      throw err;
    }
  }

  async update(ctx: RequestContext, id: string, body: Demographics) {
    this.assertBirthDate(body.birthDate);
    return this.deps.db.prisma.$transaction(async (tx) => {
      const before = await tx.patient.findUnique({ where: { id }, select: patientSelect });
      if (!before) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
      const data: Prisma.PatientUpdateInput = {};
      if (body.givenName !== undefined) data.givenName = body.givenName;
      if (body.familyName !== undefined) data.familyName = body.familyName;
      if (body.birthDate !== undefined) data.birthDate = isoToDate(body.birthDate);
      if (body.phone !== undefined) data.phone = body.phone;
      if (body.email !== undefined) data.email = body.email;
      const row = await tx.patient.update({ where: { id }, data, select: patientSelect });
      const dto = toPatientDto(row);
      await writeAudit(tx, ctx, {
        action: 'patient.update',
        entityType: 'patient',
        entityId: id,
        patientId: id,
        before: toPatientDto(before),
        after: dto,
      });
      return dto;
    });
  }

  async list(ctx: RequestContext, q: string | undefined, limit: number, cursor: string | undefined) {
    const after = readCursor(cursor, (text) => (Uuid.safeParse(text).success ? text : undefined));
    const rows = await this.deps.db.prisma.patient.findMany({
      where: searchWhere(q),
      orderBy: [{ familyName: 'asc' }, { givenName: 'asc' }, { id: 'asc' }],
      take: limit + 1,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
      select: patientSelect,
    });
    const page = rows.slice(0, limit);
    // One event for the page, naming every patient it shows.
    await writeAudit(
      this.deps.db.prisma,
      ctx,
      listReadEvent(
        'patient.list',
        'patient',
        page.map((r) => r.id),
      ),
    );
    const last = page[page.length - 1];
    return { items: page.map(toPatientDto), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  async detail(ctx: RequestContext, id: string) {
    const now = this.deps.clock();
    // One round trip: the read and its audit row (patient-detail.repository.ts).
    const found = await patientDetailRows(this.deps.db.pool, ctx, id);
    if (!found) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
    const row = { ...found.patient, injections: found.injections };
    const openEpisode = found.openEpisode;
    // The date given is the date judged: the last injection is the latest completed by its clinic date.
    const completed = row.injections.filter((i) => i.status === 'completed');
    const last = completed[completed.length - 1] ?? null;
    const next = row.injections.find((i) => i.status === 'scheduled' && i.scheduledAt >= now) ?? null;
    const flags = clinicalFlags({
      openEpisode: openEpisode ? { ...toEpisodeFacts(openEpisode), region: openEpisode.region } : null,
      injections: row.injections.map((i) => ({
        id: i.id,
        episodeId: i.episodeId,
        region: i.episode.region,
        localDate: dateToIso(i.localDate),
        status: i.status,
        percentImprovement: i.percentImprovement,
        assessedOn: i.assessedOn === null ? null : dateToIso(i.assessedOn),
      })),
      today: todayIn(this.deps.config.clinicTimeZone, now),
    });
    return {
      ...toPatientDto(row),
      openEpisode: openEpisode ? toEpisodeDto(openEpisode) : null,
      lastInjection: last ? toInjectionDto(last) : null,
      nextInjection: next ? toInjectionDto(next) : null,
      flags,
    };
  }
}
