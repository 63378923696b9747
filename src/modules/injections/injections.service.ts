// Booking orchestration: each change runs check-then-write in one transaction under a lock on the
// patient row, judging R1–R5 on the facts loadRuleFacts reads; the database's exclusion constraint
// backs R2 up and its violation is answered with the same 422 as the code check. Completing on another
// date than the booked one moves the injection to the date given, judged like a move.
import type pg from 'pg';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import { appendAudit } from '../audit/audit-writer.ts';
import { AppError } from '../../shared/errors.ts';
import { isExclusionViolation } from '../../shared/db-errors.ts';
import { dateToIso, todayIn } from '../../shared/dates.ts';
import { linkResourcePg } from '../../plugins/idempotency-resource.ts';
import { checkAnatomy, normaliseLevels, type Approach, type Region, type Side } from './anatomy.rules.ts';
import {
  canTransition,
  derivePercentImprovement,
  evaluateBooking,
  isPerformedAtValid,
  localDateOf,
  type Transition,
  type Violation,
} from './injection.rules.ts';
import {
  inTransaction,
  insertBooking,
  lockInjection,
  lockPatientRow,
  updateInjection,
  type InjectionChange,
} from './booking.repository.ts';
import { loadRuleFacts, type RuleFacts } from './rule-facts.repository.ts';
import { toInjectionDto, type InjectionDtoT, type InjectionRow } from './injections.repository.ts';

/** What a booking or a move may say about anatomy: `levels`, or one `level` (older clients). */
export interface AnatomyFields {
  levels?: string[] | undefined;
  level?: string | undefined;
  approach?: Approach | undefined;
  side?: Side | undefined;
}

export interface BookRequest extends AnatomyFields {
  patientId: string;
  episodeId: string;
  scheduledAt: string;
  approach: Approach;
  side: Side;
}

export interface RescheduleRequest extends AnatomyFields {
  scheduledAt: string;
}

export interface OutcomeRequest {
  painBefore: number;
  painAfter: number;
  percentImprovement?: number | undefined;
  assessedOn: string;
  reliefLastedDays?: number | undefined;
}

interface Target {
  patientId: string;
  episodeId: string;
  localDate: string;
  excludeId?: string;
}

function violationError(violations: Violation[]): AppError {
  const first = violations[0];
  const code = violations.every((v) => v.rule === 'R2_INJECTION_INTERVAL') ? 'INJECTION.INTERVAL_TOO_SHORT' : 'INJECTION.RULE_VIOLATION';
  return new AppError(code, violations.map((v) => v.message).join(' ') || 'The booking breaks a scheduling rule', {
    violations: violations.map((v) => ({ rule: v.rule, message: v.message, earliestEligibleDate: v.earliestEligibleDate })),
    earliestEligibleDate: first?.earliestEligibleDate ?? null,
  });
}

const anatomyError = (errors: { path: string; message: string }[]) =>
  new AppError('INJECTION.ANATOMY', errors.map((e) => `${e.path.replace(/^body\./, '')}: ${e.message}`).join('; '), { errors });

/** `levels` as sent, or the one `level`; both at once is ambiguous. Undefined when neither is sent. */
function requestedLevels(body: AnatomyFields): string[] | undefined {
  if (body.levels !== undefined && body.level !== undefined) {
    throw anatomyError([{ path: 'body.level', message: 'send either levels or level, not both' }]);
  }
  return body.levels ?? (body.level !== undefined ? [body.level] : undefined);
}

export class InjectionsService {
  constructor(private readonly deps: Deps) {}

  private get zone() {
    return this.deps.config.clinicTimeZone;
  }

  private judge(t: Target, facts: RuleFacts): Violation[] {
    const found = evaluateBooking({
      patientId: t.patientId,
      episode: facts.episode,
      injections: facts.injections,
      localDate: t.localDate,
      excludeInjectionId: t.excludeId,
    });
    // The rules word a missing episode as "the patient has none" (right for eligibility); here the
    // client named an episode id that does not exist, and the patient may well have an open one.
    if (facts.episode) return found;
    return found.map((v) =>
      v.rule === 'R3_EPISODE' ? { ...v, message: `Episode ${t.episodeId} does not exist; book against the patient's open episode.` } : v,
    );
  }

  /** A concurrent change that slipped past the code check is refused by the exclusion constraint; it is
   * judged again on fresh facts so the answer still names the rule and the earliest date. */
  private async onExclusion<T>(target: Target, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!isExclusionViolation(err)) throw err;
      const facts = await loadRuleFacts(this.deps.db.pool, target.patientId, target.episodeId);
      const r2 = this.judge(target, facts).filter((v) => v.rule === 'R2_INJECTION_INTERVAL');
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

  /** A change refused by R1–R5 is audited as an attempt, outside the transaction that rolled back. */
  private async auditRefusal<T>(
    ctx: RequestContext,
    refusal: { action: string; entityId: string | null; patientId: string | null; attempted: unknown },
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const violations = err instanceof AppError ? err.extensions.violations : undefined;
      if (Array.isArray(violations) && refusal.patientId !== null) {
        await appendAudit(this.deps.db.pool, ctx, {
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

  async book(ctx: RequestContext, body: BookRequest): Promise<InjectionDtoT> {
    const levels = normaliseLevels(requestedLevels(body) ?? []);
    const localDate = localDateOf(body.scheduledAt, this.zone);
    const target = { patientId: body.patientId, episodeId: body.episodeId, localDate };
    const attempted = {
      scheduledAt: body.scheduledAt,
      localDate,
      episodeId: body.episodeId,
      levels,
      approach: body.approach,
      side: body.side,
    };
    const refusal = { action: 'injection.book.refused', entityId: null, patientId: body.patientId, attempted };
    return this.auditRefusal(ctx, refusal, () =>
      this.onExclusion(target, () =>
        inTransaction(this.deps.db.pool, async (client) => {
          if (!(await lockPatientRow(client, body.patientId))) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
          const facts = await loadRuleFacts(client, body.patientId, body.episodeId);
          this.assertAnatomy(facts, { levels, approach: body.approach, side: body.side }, body.patientId);
          const violations = this.judge(target, facts);
          if (violations.length) throw violationError(violations);
          const booking = { ...body, levels, scheduledAt: new Date(body.scheduledAt), localDate };
          // Row timestamps are the wall clock, like every audit event's `at` (the clinic's "now" may be pinned).
          const row = await insertBooking(client, ctx, booking, new Date(), toInjectionDto);
          await linkResourcePg(client, ctx, 'injection', row.id);
          return toInjectionDto(row);
        }),
      ),
    );
  }

  /** A 400 for anatomy no clinician could perform precedes the rules. Judged against the episode's
   * region when the episode is the patient's; otherwise only what does not depend on it (R3 answers). */
  private assertAnatomy(facts: RuleFacts, a: { levels: string[]; approach: Approach; side: Side }, patientId: string) {
    const region: Region | null = facts.episode?.patientId === patientId ? facts.episode.region : null;
    const problems = checkAnatomy({ region, ...a });
    if (problems.length) throw anatomyError(problems);
  }

  /** Runs a change of one injection under its patient's lock, after checking the status move. */
  private async change(
    ctx: RequestContext,
    id: string,
    transition: Transition,
    work: (client: pg.PoolClient, before: InjectionRow) => Promise<InjectionChange>,
  ): Promise<InjectionDtoT> {
    return inTransaction(this.deps.db.pool, async (client) => {
      const before = await lockInjection(client, id);
      if (!before) throw new AppError('INJECTION.NOT_FOUND', 'Injection not found');
      if (!canTransition(before.status, transition)) {
        throw new AppError('INJECTION.INVALID_TRANSITION', `Cannot ${transition.replace('_', '-')} an injection that is ${before.status}`);
      }
      const change = await work(client, before);
      const row = await updateInjection(client, id, change, new Date());
      const dto = toInjectionDto(row);
      await appendAudit(client, ctx, {
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

  /** The patient and episode of an injection (for the refusal audit and the exclusion recovery). */
  private async owner(id: string): Promise<{ patientId: string; episodeId: string } | null> {
    const { rows } = await this.deps.db.pool.query<{ patientId: string; episodeId: string }>({
      name: 'inj-owner-episode',
      text: 'SELECT "patientId", "episodeId" FROM injections WHERE id = $1::uuid',
      values: [id],
    });
    return rows[0] ?? null;
  }

  async reschedule(ctx: RequestContext, id: string, body: RescheduleRequest): Promise<InjectionDtoT> {
    const localDate = localDateOf(body.scheduledAt, this.zone);
    const newLevels = requestedLevels(body);
    const owner = await this.owner(id);
    if (!owner) throw new AppError('INJECTION.NOT_FOUND', 'Injection not found');
    const target = { ...owner, localDate, excludeId: id };
    const refusal = { action: 'injection.reschedule.refused', entityId: id, patientId: owner.patientId, attempted: { ...body, localDate } };
    return this.auditRefusal(ctx, refusal, () =>
      this.onExclusion(target, () =>
        this.change(ctx, id, 'reschedule', async (client, before) => {
          const facts = await loadRuleFacts(client, before.patientId, before.episodeId);
          const anatomyChanged = newLevels !== undefined || body.approach !== undefined || body.side !== undefined;
          const anatomy = {
            levels: normaliseLevels(newLevels ?? before.levels),
            approach: body.approach ?? before.approach,
            side: body.side ?? before.side,
          };
          if (anatomyChanged) this.assertAnatomy(facts, anatomy, before.patientId);
          const violations = this.judge({ ...target, patientId: before.patientId, episodeId: before.episodeId }, facts);
          if (violations.length) throw violationError(violations);
          return { scheduledAt: new Date(body.scheduledAt), localDate, ...(anatomyChanged ? anatomy : {}) };
        }),
      ),
    );
  }

  cancel(ctx: RequestContext, id: string, reason: string) {
    return this.change(ctx, id, 'cancel', async () => ({ status: 'cancelled', cancelReason: reason }));
  }

  noShow(ctx: RequestContext, id: string) {
    const now = this.deps.clock();
    return this.change(ctx, id, 'no_show', async (_client, before) => {
      // A patient cannot have missed an appointment that is still ahead, even one later today.
      if (before.scheduledAt > now) {
        throw new AppError('INJECTION.INVALID_TRANSITION', 'Cannot mark a future appointment as a no-show');
      }
      return { status: 'no_show' };
    });
  }

  /** The date given is the date judged: performed on another clinic date than booked, the injection
   * moves to that date, and R1–R5 are judged there first (excluding itself), as for a move. */
  async complete(ctx: RequestContext, id: string, performedAt: string) {
    const at = new Date(performedAt);
    if (!isPerformedAtValid(at, this.deps.clock())) {
      throw new AppError('INJECTION.PERFORMED_IN_FUTURE', 'performedAt must not be in the future', {
        errors: [{ path: 'body.performedAt', message: 'must not be in the future' }],
      });
    }
    const performedOn = localDateOf(at, this.zone);
    const owner = await this.owner(id);
    if (!owner) throw new AppError('INJECTION.NOT_FOUND', 'Injection not found');
    const target = { ...owner, localDate: performedOn, excludeId: id };
    const refusal = {
      action: 'injection.complete.refused',
      entityId: id,
      patientId: owner.patientId,
      attempted: { performedAt, localDate: performedOn },
    };
    return this.auditRefusal(ctx, refusal, () =>
      this.onExclusion(target, () =>
        this.change(ctx, id, 'complete', async (client, before) => {
          if (dateToIso(before.localDate) !== performedOn) {
            const facts = await loadRuleFacts(client, before.patientId, before.episodeId);
            const violations = this.judge({ ...target, patientId: before.patientId, episodeId: before.episodeId }, facts);
            if (violations.length) throw violationError(violations);
          }
          return { status: 'completed', performedAt: at, localDate: performedOn, performedBy: { id: ctx.actor.id, name: ctx.actor.name } };
        }),
      ),
    );
  }

  recordOutcome(ctx: RequestContext, id: string, o: OutcomeRequest) {
    const today = todayIn(this.zone, this.deps.clock());
    if (o.assessedOn > today) {
      throw new AppError('REQUEST.VALIDATION', 'assessedOn must not be in the future', {
        errors: [{ path: 'body.assessedOn', message: 'must not be in the future' }],
      });
    }
    return this.change(ctx, id, 'outcome', async (_client, before) => {
      if (o.assessedOn < dateToIso(before.localDate)) {
        throw new AppError('REQUEST.VALIDATION', 'assessedOn must not be before the injection date', {
          errors: [{ path: 'body.assessedOn', message: 'must not be before the injection date' }],
        });
      }
      return {
        outcome: {
          painBefore: o.painBefore,
          painAfter: o.painAfter,
          percentImprovement: o.percentImprovement ?? derivePercentImprovement(o.painBefore, o.painAfter),
          assessedOn: o.assessedOn,
          reliefLastedDays: o.reliefLastedDays ?? null,
        },
      };
    });
  }
}
