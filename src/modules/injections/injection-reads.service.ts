// Read side of scheduling: eligibility, a patient's history and a day's schedule. Each read of patient
// data writes its audit event before the answer leaves: in the same SQL statement as the read (see
// injection-reads.repository.ts), since these are the screens front-desk software polls.
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { todayIn } from '../../shared/dates.ts';
import { decodeCursor, encodeCursor } from '../../shared/schemas.ts';
import { earliestEligibleDate, evaluateBooking, withDaysSincePrevious } from './injection.rules.ts';
import { historyRows, schedulePage, type ScheduleKey } from './injection-reads.repository.ts';
import { loadEligibilityFacts } from './rule-facts.repository.ts';
import { toInjectionDto } from './injections.repository.ts';

export class InjectionReadsService {
  constructor(private readonly deps: Deps) {}

  private get zone() {
    return this.deps.config.clinicTimeZone;
  }

  async eligibility(ctx: RequestContext, patientId: string, on: string | undefined) {
    const date = on ?? todayIn(this.zone, this.deps.clock());
    const facts = await loadEligibilityFacts(this.deps.db.pool, ctx, patientId);
    if (!facts) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
    const input = { patientId, episode: facts.episode, injections: facts.injections, localDate: date };
    const violations = evaluateBooking(input);
    return {
      eligible: violations.length === 0,
      on: date,
      earliestEligibleDate: earliestEligibleDate(input),
      blockers: violations.map((v) => ({ rule: v.rule, message: v.message, until: v.until })),
    };
  }

  async history(ctx: RequestContext, patientId: string) {
    const rows = await historyRows(this.deps.db.pool, ctx, patientId);
    if (!rows) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
    const items = withDaysSincePrevious(rows.map((r) => ({ ...toInjectionDto(r), region: r.region })));
    return { patientId, timeZone: this.zone, items };
  }

  async schedule(ctx: RequestContext, date: string, limit: number, cursor: string | undefined) {
    const after = scheduleCursorKey(cursor, date);
    const { rows, more } = await schedulePage(this.deps.db.pool, ctx, date, limit, after);
    const last = rows[rows.length - 1];
    return {
      date,
      timeZone: this.zone,
      items: rows.map((r) => ({ ...toInjectionDto(r), patient: r.patient })),
      nextCursor: more && last ? encodeCursor(`${date}|${last.scheduledAt.toISOString()}|${last.id}`) : null,
    };
  }
}

// A schedule cursor is the day and the (scheduledAt, id) of the last row shown. One for another day,
// or anything else this endpoint did not issue, is refused.
const SCHEDULE_CURSOR =
  /^(\d{4}-\d{2}-\d{2})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function scheduleCursorKey(cursor: string | undefined, date: string): ScheduleKey | undefined {
  const raw = decodeCursor(cursor);
  if (raw === undefined) return undefined;
  const m = SCHEDULE_CURSOR.exec(raw);
  const at = m ? new Date(m[2]!) : null;
  if (!m || m[1] !== date || !at || Number.isNaN(at.getTime()) || at.toISOString() !== m[2]) {
    throw new AppError('REQUEST.VALIDATION', 'cursor is not valid', {
      errors: [{ path: 'querystring.cursor', message: 'is not a cursor this endpoint returned for this date' }],
    });
  }
  return { scheduledAt: at, id: m[3]! };
}
