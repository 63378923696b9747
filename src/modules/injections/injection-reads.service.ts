// Read side of scheduling: eligibility, a patient's history and a day's schedule. Each read of patient
// data writes its audit event before the answer leaves.
import type { Deps } from '../../deps.ts';
import { writeAudit, type RequestContext } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { isoToDate, todayIn } from '../../shared/dates.ts';
import { episodeSelect, toEpisodeFacts } from '../episodes/episodes.repository.ts';
import { earliestEligibleDate, evaluateBooking, withDaysSincePrevious } from './injection.rules.ts';
import { injectionSelect, patientInjectionFacts, toInjectionDto } from './injections.repository.ts';

export class InjectionReadsService {
  constructor(private readonly deps: Deps) {}

  private get zone() {
    return this.deps.config.clinicTimeZone;
  }

  async eligibility(ctx: RequestContext, patientId: string, on: string | undefined) {
    const prisma = this.deps.db.prisma;
    const date = on ?? todayIn(this.zone, this.deps.clock());
    const patient = await prisma.patient.findUnique({
      where: { id: patientId },
      select: { id: true, episodes: { where: { status: 'open' }, select: episodeSelect, take: 1 } },
    });
    if (!patient) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
    const injections = await patientInjectionFacts(prisma, patientId);
    const ep = patient.episodes[0];
    const input = { patientId, episode: ep ? toEpisodeFacts(ep) : null, injections, localDate: date };
    const violations = evaluateBooking(input);
    await writeAudit(prisma, ctx, { action: 'eligibility.read', entityType: 'patient', entityId: patientId, patientId });
    return {
      eligible: violations.length === 0,
      on: date,
      earliestEligibleDate: earliestEligibleDate(input),
      blockers: violations.map((v) => ({ rule: v.rule, message: v.message, until: v.until })),
    };
  }

  async history(ctx: RequestContext, patientId: string) {
    const prisma = this.deps.db.prisma;
    const patient = await prisma.patient.findUnique({
      where: { id: patientId },
      select: {
        id: true,
        injections: { select: { ...injectionSelect, episode: { select: { region: true } } }, orderBy: [{ localDate: 'asc' }, { scheduledAt: 'asc' }] },
      },
    });
    if (!patient) throw new AppError('PATIENT.NOT_FOUND', 'Patient not found');
    const items = withDaysSincePrevious(
      patient.injections.map((r) => ({ ...toInjectionDto(r), region: r.episode.region })),
    );
    await writeAudit(prisma, ctx, { action: 'injection.history.read', entityType: 'patient', entityId: patientId, patientId });
    return { patientId, timeZone: this.zone, items };
  }

  async schedule(ctx: RequestContext, date: string) {
    const prisma = this.deps.db.prisma;
    const rows = await prisma.injection.findMany({
      where: { localDate: isoToDate(date) },
      orderBy: [{ scheduledAt: 'asc' }, { id: 'asc' }],
      select: { ...injectionSelect, patient: { select: { id: true, mrn: true, givenName: true, familyName: true } } },
    });
    await writeAudit(prisma, ctx, rows.map((r) => ({ action: 'schedule.read', entityType: 'injection', entityId: r.id, patientId: r.patientId })));
    return { date, timeZone: this.zone, items: rows.map((r) => ({ ...toInjectionDto(r), patient: r.patient })) };
  }
}
