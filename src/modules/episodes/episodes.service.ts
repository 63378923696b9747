import type { Deps } from '../../deps.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { linkResource } from '../../plugins/idempotency-resource.ts';
import { writeAudit, type RequestContext } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { isUniqueViolation } from '../../shared/db-errors.ts';
import { dateToIso, isoToDate } from '../../shared/dates.ts';
import { bookedNowIneligible, hasR1Exemption, isRedFlag } from '../injections/injection.rules.ts';
import { injectionSelect, lockPatient, toInjectionDto } from '../injections/injections.repository.ts';
import { episodeSelect, toClearanceDto, toConsultationDto, toEpisodeDto, toEpisodeFacts, type EpisodeRow } from './episodes.repository.ts';
import type { REGIONS, SEVERITIES, SIGNS, THERAPIES } from './episodes.schemas.ts';

type Therapy = (typeof THERAPIES)[number];
type Sign = (typeof SIGNS)[number];
type SeverityT = (typeof SEVERITIES)[number];

export interface CreateEpisode {
  region: (typeof REGIONS)[number];
  diagnosis: string;
  conservativeCareStartedOn: string;
  therapies: Therapy[];
  severity: SeverityT;
  neurologicalSigns: Sign[];
}

export interface UpdateEpisode {
  diagnosis?: string | undefined;
  therapies?: Therapy[] | undefined;
  severity?: SeverityT | undefined;
  neurologicalSigns?: Sign[] | undefined;
}

export class EpisodesService {
  constructor(private readonly deps: Deps) {}

  /** Who recorded an R1 exemption, and when, is kept on the episode for the nightly report. */
  private exemptionStamp(ctx: RequestContext) {
    return { exemptionRecordedAt: this.deps.clock(), exemptionRecordedById: ctx.actor.id, exemptionRecordedByName: ctx.actor.name };
  }

  async create(ctx: RequestContext, patientId: string, body: CreateEpisode) {
    try {
      return await this.deps.db.prisma.$transaction(async (tx) => {
        if (!(await lockPatient(tx, patientId))) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
        const open = await tx.episode.findFirst({ where: { patientId, status: 'open' }, select: { id: true } });
        if (open) throw new AppError('EPISODE.ALREADY_OPEN', `The patient already has an open episode (${open.id}); close it first`);
        const row = await tx.episode.create({
          data: {
            patientId,
            region: body.region,
            diagnosis: body.diagnosis,
            conservativeCareStartedOn: isoToDate(body.conservativeCareStartedOn),
            therapies: body.therapies,
            severity: body.severity,
            neurologicalSigns: body.neurologicalSigns,
            ...(hasR1Exemption(body) ? this.exemptionStamp(ctx) : {}),
          },
          select: episodeSelect,
        });
        const dto = toEpisodeDto(row);
        await linkResource(tx, ctx, 'episode', row.id);
        await writeAudit(tx, ctx, { action: 'episode.create', entityType: 'episode', entityId: row.id, patientId, after: dto });
        return dto;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('EPISODE.ALREADY_OPEN', 'The patient already has an open episode; close it first');
      throw err;
    }
  }

  /** Loads an open episode under its patient's lock (the lock orders clinical edits against bookings,
   * which read the episode, and against a close). */
  private async lockedOpenEpisode(tx: Prisma.TransactionClient, id: string, closedMessage: string): Promise<EpisodeRow> {
    const found = await tx.episode.findUnique({ where: { id }, select: { patientId: true } });
    if (!found) throw new AppError('EPISODE.NOT_FOUND', 'Episode not found');
    await lockPatient(tx, found.patientId);
    const row = await tx.episode.findUniqueOrThrow({ where: { id }, select: episodeSelect });
    if (row.status !== 'open') throw new AppError('EPISODE.CLOSED', closedMessage);
    return row;
  }

  async update(ctx: RequestContext, id: string, body: UpdateEpisode) {
    return this.deps.db.prisma.$transaction(async (tx) => {
      const before = await this.lockedOpenEpisode(tx, id, 'A closed episode cannot be edited');
      const data: Prisma.EpisodeUpdateInput = {};
      if (body.diagnosis !== undefined) data.diagnosis = body.diagnosis;
      if (body.therapies !== undefined) data.therapies = body.therapies;
      if (body.severity !== undefined) data.severity = body.severity;
      if (body.neurologicalSigns !== undefined) {
        data.neurologicalSigns = body.neurologicalSigns;
        // A red flag taken off loses its clearance: recorded again later, it blocks again (R4).
        data.clearedRedFlags = before.clearedRedFlags.filter((f) => body.neurologicalSigns?.includes(f));
      }
      const exemptionChanged = body.severity !== undefined || body.neurologicalSigns !== undefined;
      const nowExempt = hasR1Exemption({
        severity: body.severity ?? before.severity,
        neurologicalSigns: body.neurologicalSigns ?? before.neurologicalSigns,
      });
      if (exemptionChanged && nowExempt) Object.assign(data, this.exemptionStamp(ctx));
      const row = await tx.episode.update({ where: { id }, data, select: episodeSelect });
      const dto = toEpisodeDto(row);
      // Bookings made under the episode as it was: named, never cancelled automatically.
      const scheduled = await tx.injection.findMany({
        where: { episodeId: id, status: 'scheduled' },
        select: { id: true, episodeId: true, localDate: true, status: true },
      });
      const warnings = bookedNowIneligible(
        toEpisodeFacts(row),
        scheduled.map((i) => ({ ...i, localDate: dateToIso(i.localDate) })),
      );
      await writeAudit(tx, ctx, {
        action: 'episode.update',
        entityType: 'episode',
        entityId: id,
        patientId: row.patientId,
        before: toEpisodeDto(before),
        after: warnings.length ? { ...dto, warnings } : dto,
      });
      return { ...dto, warnings };
    });
  }

  /** R4: a clinician clears the red flags present now; a flag recorded later blocks again. */
  async clearRedFlags(ctx: RequestContext, id: string, reason: string) {
    return this.deps.db.prisma.$transaction(async (tx) => {
      const before = await this.lockedOpenEpisode(tx, id, 'A closed episode cannot be cleared');
      const redFlags = before.neurologicalSigns.filter(isRedFlag);
      if (redFlags.length === 0) throw new AppError('EPISODE.NO_RED_FLAG', 'The episode records no red flag to clear');
      const clearance = await tx.redFlagClearance.create({
        data: {
          episodeId: id,
          patientId: before.patientId,
          redFlags,
          reason,
          recordedAt: this.deps.clock(),
          recordedById: ctx.actor.id,
          recordedByName: ctx.actor.name,
        },
        select: { id: true, redFlags: true, reason: true, recordedAt: true, recordedById: true, recordedByName: true },
      });
      const row = await tx.episode.update({ where: { id }, data: { clearedRedFlags: redFlags }, select: episodeSelect });
      const dto = toClearanceDto(before, clearance);
      await writeAudit(tx, ctx, {
        action: 'episode.red_flag_clearance',
        entityType: 'episode',
        entityId: id,
        patientId: before.patientId,
        before: toEpisodeDto(before),
        after: { ...toEpisodeDto(row), clearance: dto },
      });
      return dto;
    });
  }

  /** R5: a clinician's consultation allowing the episode up to `allowInjections` counted injections. */
  async addConsultation(ctx: RequestContext, id: string, body: { allowInjections: number; note: string }) {
    return this.deps.db.prisma.$transaction(async (tx) => {
      const before = await this.lockedOpenEpisode(tx, id, 'A closed episode cannot take a consultation');
      const created = await tx.consultation.create({
        data: {
          episodeId: id,
          patientId: before.patientId,
          allowInjections: body.allowInjections,
          note: body.note,
          recordedAt: this.deps.clock(),
          recordedById: ctx.actor.id,
          recordedByName: ctx.actor.name,
        },
        select: { id: true, allowInjections: true, note: true, recordedAt: true, recordedById: true, recordedByName: true },
      });
      const dto = toConsultationDto(before, created);
      await writeAudit(tx, ctx, {
        action: 'episode.consultation',
        entityType: 'episode',
        entityId: id,
        patientId: before.patientId,
        after: dto,
      });
      return dto;
    });
  }

  /** Closing cancels the episode's future scheduled injections in the same transaction. */
  async close(ctx: RequestContext, id: string, reason: string) {
    const now = this.deps.clock();
    return this.deps.db.prisma.$transaction(async (tx) => {
      const before = await this.lockedOpenEpisode(tx, id, 'The episode is already closed');
      const row = await tx.episode.update({
        where: { id },
        data: { status: 'closed', closedReason: reason, closedAt: now },
        select: episodeSelect,
      });
      const future = await tx.injection.findMany({
        where: { episodeId: id, status: 'scheduled', scheduledAt: { gt: now } },
        select: injectionSelect,
      });
      const cancelReason = `Episode closed: ${reason}`.slice(0, 500);
      if (future.length) {
        await tx.injection.updateMany({ where: { id: { in: future.map((i) => i.id) } }, data: { status: 'cancelled', cancelReason } });
      }
      const dto = toEpisodeDto(row);
      await writeAudit(tx, ctx, [
        {
          action: 'episode.close',
          entityType: 'episode',
          entityId: id,
          patientId: row.patientId,
          before: toEpisodeDto(before),
          after: dto,
        },
        ...future.map((i) => ({
          action: 'injection.cancel',
          entityType: 'injection',
          entityId: i.id,
          patientId: row.patientId,
          before: toInjectionDto(i),
          after: { ...toInjectionDto(i), status: 'cancelled', cancelReason },
        })),
      ]);
      return { ...dto, cancelledInjectionIds: future.map((i) => i.id) };
    });
  }
}
