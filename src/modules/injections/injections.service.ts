// Booking orchestration: each change runs check-then-write in one transaction under a lock on the
// patient row, and the database's exclusion constraint backs R2 up; its violation is answered with the
// same 422 as the code check.
import type { Deps } from '../../deps.ts';
import { writeAudit, type RequestContext } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { isExclusionViolation } from '../../shared/db-errors.ts';
import { isoToDate, todayIn } from '../../shared/dates.ts';
import { episodeSelect, toEpisodeFacts } from '../episodes/episodes.repository.ts';
import {
  canTransition,
  evaluateBooking,
  isPerformedAtValid,
  localDateOf,
  type EpisodeFacts,
  type InjectionFacts,
  type Transition,
  type Violation,
} from './injection.rules.ts';
import { linkResourcePg } from '../../plugins/idempotency-resource.ts';
import { bookingFacts, inTransaction, insertBooking, lockPatientRow } from './booking.repository.ts';
import {
  injectionSelect,
  lockPatient,
  patientInjectionFacts,
  toInjectionDto,
  type InjectionDtoT,
  type Tx,
} from './injections.repository.ts';

export interface BookRequest {
  patientId: string;
  episodeId: string;
  scheduledAt: string;
  level: string;
  approach: 'transforaminal' | 'interlaminar' | 'caudal';
  side: 'left' | 'right' | 'bilateral' | 'midline';
}

function violationError(violations: Violation[]): AppError {
  const first = violations[0];
  const code = violations.every((v) => v.rule === 'R2_INJECTION_INTERVAL') ? 'INJECTION.INTERVAL_TOO_SHORT' : 'INJECTION.RULE_VIOLATION';
  return new AppError(code, violations.map((v) => v.message).join(' ') || 'The booking breaks a scheduling rule', {
    violations: violations.map((v) => ({ rule: v.rule, message: v.message, earliestEligibleDate: v.earliestEligibleDate })),
    earliestEligibleDate: first?.earliestEligibleDate ?? null,
  });
}

export class InjectionsService {
  constructor(private readonly deps: Deps) {}

  private get zone() {
    return this.deps.config.clinicTimeZone;
  }

  /** Runs a booking change; a concurrent booking that slipped past the code check is refused by the
   * exclusion constraint and re-evaluated against fresh data so the answer still names the rule. */
  private async guarded<T>(
    target: { patientId: string; episodeId: string; localDate: string; excludeId?: string },
    work: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    return this.onExclusion(target, () => this.deps.db.prisma.$transaction(work, { timeout: 15_000, maxWait: 5_000 }));
  }

  private async onExclusion<T>(
    target: { patientId: string; episodeId: string; localDate: string; excludeId?: string },
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!isExclusionViolation(err)) throw err;
      const violations = await this.deps.db.prisma.$transaction((tx) => this.violations(tx, target));
      const r2 = violations.filter((v) => v.rule === 'R2_INJECTION_INTERVAL');
      throw violationError(
        r2.length
          ? r2
          : [
              {
                rule: 'R2_INJECTION_INTERVAL',
                message:
                  'Another injection for this patient was booked within 14 days at the same moment; injections must be at least 14 days apart.',
                earliestEligibleDate: null,
                until: null,
              },
            ],
      );
    }
  }

  private async violations(
    tx: Tx,
    t: { patientId: string; episodeId: string; localDate: string; excludeId?: string },
  ): Promise<Violation[]> {
    const episodeRow = await tx.episode.findUnique({ where: { id: t.episodeId }, select: episodeSelect });
    const injections = await patientInjectionFacts(tx, t.patientId);
    return this.judge(t, episodeRow ? toEpisodeFacts(episodeRow) : null, injections);
  }

  private judge(
    t: { patientId: string; episodeId: string; localDate: string; excludeId?: string },
    episode: EpisodeFacts | null,
    injections: InjectionFacts[],
  ): Violation[] {
    const found = evaluateBooking({ patientId: t.patientId, episode, injections, localDate: t.localDate, excludeInjectionId: t.excludeId });
    // The rules word a missing episode as "the patient has none" (right for eligibility); here the
    // client named an episode id that does not exist, and the patient may well have an open one.
    if (episode) return found;
    return found.map((v) =>
      v.rule === 'R3_EPISODE' ? { ...v, message: `Episode ${t.episodeId} does not exist; book against the patient's open episode.` } : v,
    );
  }

  private async checkRules(tx: Tx, t: { patientId: string; episodeId: string; localDate: string; excludeId?: string }): Promise<void> {
    const violations = await this.violations(tx, t);
    if (violations.length) throw violationError(violations);
  }

  async book(ctx: RequestContext, body: BookRequest): Promise<InjectionDtoT> {
    const localDate = localDateOf(body.scheduledAt, this.zone);
    const target = { patientId: body.patientId, episodeId: body.episodeId, localDate };
    const refusal = { action: 'injection.book.refused', entityId: null, patientId: body.patientId, attempted: { ...body, localDate } };
    // The hottest write: the same transaction on raw pg prepared statements (booking.repository.ts).
    return this.auditRefusal(ctx, refusal, () =>
      this.onExclusion(target, () =>
        inTransaction(this.deps.db.pool, async (client) => {
          if (!(await lockPatientRow(client, body.patientId))) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
          const facts = await bookingFacts(client, body.patientId, body.episodeId);
          const violations = this.judge(target, facts.episode, facts.injections);
          if (violations.length) throw violationError(violations);
          const booking = { ...body, scheduledAt: new Date(body.scheduledAt), localDate };
          const row = await insertBooking(client, ctx, booking, new Date(), toInjectionDto);
          await linkResourcePg(client, ctx, 'injection', row.id);
          return toInjectionDto(row);
        }),
      ),
    );
  }

  /** A change refused by R1-R3 is audited as an attempt, outside the transaction that rolled back. */
  private async auditRefusal<T>(
    ctx: RequestContext,
    refusal: { action: string; entityId: string | null; patientId: string; attempted: unknown },
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const violations = err instanceof AppError ? err.extensions.violations : undefined;
      if (Array.isArray(violations)) {
        await writeAudit(this.deps.db.prisma, ctx, {
          action: refusal.action,
          entityType: 'injection',
          entityId: refusal.entityId,
          patientId: refusal.patientId,
          after: { attempted: refusal.attempted, violations },
        });
      }
      throw err;
    }
  }

  /** Loads an injection under its patient's lock and checks the status move is allowed. */
  private async loadForChange(tx: Tx, id: string, transition: Transition) {
    const found = await tx.injection.findUnique({ where: { id }, select: { patientId: true } });
    if (!found) throw new AppError('INJECTION.NOT_FOUND', 'Injection not found');
    await lockPatient(tx, found.patientId);
    const row = await tx.injection.findUniqueOrThrow({ where: { id }, select: injectionSelect });
    if (!canTransition(row.status, transition)) {
      throw new AppError('INJECTION.INVALID_TRANSITION', `Cannot ${transition.replace('_', '-')} an injection that is ${row.status}`);
    }
    return row;
  }

  async reschedule(ctx: RequestContext, id: string, scheduledAt: string): Promise<InjectionDtoT> {
    const localDate = localDateOf(scheduledAt, this.zone);
    const current = await this.deps.db.prisma.injection.findUnique({ where: { id }, select: { patientId: true, episodeId: true } });
    if (!current) throw new AppError('INJECTION.NOT_FOUND', 'Injection not found');
    const target = { patientId: current.patientId, episodeId: current.episodeId, localDate, excludeId: id };
    const refusal = {
      action: 'injection.reschedule.refused',
      entityId: id,
      patientId: current.patientId,
      attempted: { scheduledAt, localDate },
    };
    return this.auditRefusal(ctx, refusal, () =>
      this.guarded(target, async (tx) => {
        const before = await this.loadForChange(tx, id, 'reschedule');
        await this.checkRules(tx, target);
        const row = await tx.injection.update({
          where: { id },
          data: { scheduledAt: new Date(scheduledAt), localDate: isoToDate(localDate) },
          select: injectionSelect,
        });
        const dto = toInjectionDto(row);
        await writeAudit(tx, ctx, {
          action: 'injection.reschedule',
          entityType: 'injection',
          entityId: id,
          patientId: row.patientId,
          before: toInjectionDto(before),
          after: dto,
        });
        return dto;
      }),
    );
  }

  private async statusChange(
    ctx: RequestContext,
    id: string,
    transition: Transition,
    data: (before: { scheduledAt: Date; localDate: Date }) => Record<string, unknown>,
  ): Promise<InjectionDtoT> {
    return this.deps.db.prisma.$transaction(async (tx) => {
      const before = await this.loadForChange(tx, id, transition);
      const row = await tx.injection.update({ where: { id }, data: data(before), select: injectionSelect });
      const dto = toInjectionDto(row);
      await writeAudit(tx, ctx, {
        action: `injection.${transition}`,
        entityType: 'injection',
        entityId: id,
        patientId: row.patientId,
        before: toInjectionDto(before),
        after: dto,
      });
      return dto;
    });
  }

  cancel(ctx: RequestContext, id: string, reason: string) {
    return this.statusChange(ctx, id, 'cancel', () => ({ status: 'cancelled', cancelReason: reason }));
  }

  noShow(ctx: RequestContext, id: string) {
    const now = this.deps.clock();
    return this.statusChange(ctx, id, 'no_show', (before) => {
      // A patient cannot have missed an appointment that is still ahead, even one later today.
      if (before.scheduledAt > now) {
        throw new AppError('INJECTION.INVALID_TRANSITION', 'Cannot mark a future appointment as a no-show');
      }
      return { status: 'no_show' };
    });
  }

  complete(ctx: RequestContext, id: string, performedAt: string) {
    const at = new Date(performedAt);
    if (!isPerformedAtValid(at, this.deps.clock())) {
      throw new AppError('INJECTION.PERFORMED_IN_FUTURE', 'performedAt must not be in the future', {
        errors: [{ path: 'body.performedAt', message: 'must not be in the future' }],
      });
    }
    return this.statusChange(ctx, id, 'complete', () => ({
      status: 'completed',
      performedAt: at,
      performedById: ctx.actor.id,
      performedByName: ctx.actor.name,
    }));
  }

  recordOutcome(
    ctx: RequestContext,
    id: string,
    o: { painBefore: number; painAfter: number; percentImprovement?: number | undefined; assessedOn: string },
  ) {
    const today = todayIn(this.zone, this.deps.clock());
    if (o.assessedOn > today) {
      throw new AppError('REQUEST.VALIDATION', 'assessedOn must not be in the future', {
        errors: [{ path: 'body.assessedOn', message: 'must not be in the future' }],
      });
    }
    const derived = o.painBefore > 0 ? Math.max(0, Math.round(((o.painBefore - o.painAfter) / o.painBefore) * 100)) : 0;
    return this.statusChange(ctx, id, 'outcome', (before) => {
      if (o.assessedOn < before.localDate.toISOString().slice(0, 10)) {
        throw new AppError('REQUEST.VALIDATION', 'assessedOn must not be before the injection date', {
          errors: [{ path: 'body.assessedOn', message: 'must not be before the injection date' }],
        });
      }
      return {
        painBefore: o.painBefore,
        painAfter: o.painAfter,
        percentImprovement: o.percentImprovement ?? derived,
        assessedOn: isoToDate(o.assessedOn),
      };
    });
  }
}
