// The nightly audit report's shape (JSON) and the stored runs. The CSV sections carry the same items
// with the same column names (see report-csv.ts), so JSON and CSV readers see one vocabulary.
import { z } from 'zod';
import { IsoDate, PageQuery } from '../../shared/schemas.ts';

const Instant = z.string().meta({ example: '2027-03-14T14:30:00.000Z' });
const Status = z.enum(['scheduled', 'completed', 'cancelled', 'no_show']);

export const DayInjection = z.object({
  injectionId: z.string(),
  mrn: z.string(),
  episodeId: z.string(),
  status: Status,
  scheduledAt: Instant,
  localTime: z.string().describe('clinic-local time with its UTC offset, e.g. 09:30-04:00'),
  levels: z.string().describe('interspaces treated, head to tail, separated by a space; empty for a caudal entry'),
  approach: z.string(),
  side: z.string(),
  bookedByName: z.string().nullable(),
  performedByName: z.string().nullable(),
  performedAt: Instant.nullable(),
});

export const ExemptionItem = z.object({
  injectionId: z.string(),
  mrn: z.string(),
  episodeId: z.string(),
  status: Status,
  localDate: IsoDate,
  conservativeCareStartedOn: IsoDate,
  dayOfTrial: z.number().int().describe('days since conservative care started (R1 needs 42 without an exemption)'),
  severity: z.string().nullable(),
  neurologicalSigns: z.array(z.string()),
  exemptionRecordedAt: Instant.nullable(),
  exemptionRecordedById: z.string().nullable(),
  exemptionRecordedByName: z.string().nullable(),
  exemptionSource: z.enum(['audit_trail', 'episode']).nullable(),
  bookedAt: Instant,
  bookedByName: z.string().nullable(),
  hoursFromExemptionToBooking: z.number().nullable(),
  flagged: z.boolean(),
  flagReason: z.enum(['RECORDED_UNDER_24H_BEFORE_BOOKING', 'NO_RECORD_OF_EXEMPTION']).nullable(),
});

export const R2PairItem = z.object({
  mrn: z.string(),
  firstInjectionId: z.string(),
  firstDate: IsoDate,
  firstStatus: Status,
  secondInjectionId: z.string(),
  secondDate: IsoDate,
  secondStatus: Status,
  daysApart: z.number().int(),
});

export const R1ViolationItem = z.object({
  injectionId: z.string(),
  mrn: z.string(),
  episodeId: z.string(),
  status: Status,
  localDate: IsoDate,
  conservativeCareStartedOn: IsoDate,
  dayOfTrial: z.number().int(),
});

export const NowIneligibleItem = z.object({
  injectionId: z.string(),
  mrn: z.string(),
  episodeId: z.string(),
  localDate: IsoDate,
  problem: z.enum(['R4_RED_FLAG', 'R1_EXEMPTION_WITHDRAWN']),
});

export const ClosedEpisodeItem = z.object({
  injectionId: z.string(),
  mrn: z.string(),
  episodeId: z.string(),
  status: Status,
  localDate: IsoDate,
  episodeClosedOn: IsoDate.nullable(),
  problem: z.enum(['SCHEDULED_ON_CLOSED_EPISODE', 'DATED_AFTER_EPISODE_CLOSED']),
});

export const AuditGapItem = z.object({
  entityType: z.enum(['patient', 'episode', 'injection']),
  entityId: z.string(),
  mrn: z.string().nullable(),
  missingAction: z.string(),
});

export const AuditSealItem = z.object({
  day: IsoDate.describe('the clinic-local day whose sealed audit events or seal no longer match'),
  problem: z
    .enum(['ROWS_CHANGED', 'ROWS_REMOVED', 'ROWS_INSERTED', 'SEAL_ALTERED', 'CHAIN_BROKEN'])
    .describe(
      "ROWS_*: the day's audit events differ from what was sealed; SEAL_ALTERED/CHAIN_BROKEN: the seals themselves were edited or removed",
    ),
  sealedRowCount: z.number().int(),
  rowCount: z.number().int(),
});

export const AuditSealSummary = z
  .object({
    sealedDays: z.number().int(),
    firstDay: IsoDate.nullable(),
    lastDay: IsoDate.nullable(),
    lastSeal: z.string().nullable().describe('the seal of lastDay: kept outside the database, it pins every day up to it'),
  })
  .describe('the seals up to the report date (so a re-run of the date gives the same)');

export const MissingOutcomeItem = z.object({
  injectionId: z.string(),
  mrn: z.string(),
  episodeId: z.string(),
  localDate: IsoDate,
  performedAt: Instant.nullable(),
  performedByName: z.string().nullable(),
  daysSinceGiven: z.number().int(),
});

export const AbsenceItem = z.object({
  injectionId: z.string(),
  mrn: z.string(),
  episodeId: z.string(),
  status: z.enum(['cancelled', 'no_show']),
  scheduledAt: Instant,
  localTime: z.string(),
  reason: z.string().nullable(),
  recordedAt: Instant.nullable(),
  recordedByName: z.string().nullable(),
});

export const REPORT_FLAGS = ['URGENT_SURGICAL_REVIEW', 'SURGICAL_REVIEW', 'ANNUAL_LIMIT', 'ADDITIONAL_INJECTION_CONSULT'] as const;
export type ReportFlag = (typeof REPORT_FLAGS)[number];

export const FlagItem = z.object({
  flag: z.enum(REPORT_FLAGS),
  mrn: z.string(),
  episodeId: z.string().nullable().describe('the open episode for episode flags; null for ANNUAL_LIMIT, which spans episodes'),
  detail: z.string(),
});

export const INTEGRITY_CHECKS = [
  'r2IntervalPairs',
  'r1WithoutExemption',
  'scheduledNowIneligible',
  'closedEpisodeInjections',
  'auditGaps',
  'auditSeals',
] as const;
export type IntegrityCheckName = (typeof INTEGRITY_CHECKS)[number];

export const IntegrityCheck = z.object({
  check: z.enum(INTEGRITY_CHECKS),
  description: z.string(),
  ok: z.boolean(),
  count: z.number().int(),
  truncated: z.boolean().describe('true when more items exist than the report lists'),
});

const countsByStatus = z.object({
  scheduled: z.number().int(),
  completed: z.number().int(),
  cancelled: z.number().int(),
  no_show: z.number().int(),
  total: z.number().int(),
});

export const ReportTotals = z.object({
  injections: countsByStatus,
  r1Exemptions: z.number().int(),
  r1ExemptionsFlagged: z.number().int(),
  integrityIssues: z.number().int(),
  missingOutcomes: z.number().int(),
  noShows: z.number().int(),
  cancellations: z.number().int(),
  flags: z.object({
    URGENT_SURGICAL_REVIEW: z.number().int(),
    SURGICAL_REVIEW: z.number().int(),
    ANNUAL_LIMIT: z.number().int(),
    ADDITIONAL_INJECTION_CONSULT: z.number().int(),
  }),
  clinic: z.object({ patients: z.number().int(), openEpisodes: z.number().int(), injections: z.number().int() }),
});

export const ReportMeta = z.object({
  date: IsoDate,
  timeZone: z.string(),
  dayStartsAt: Instant,
  dayEndsAt: Instant,
  hoursInDay: z.number().describe('23 or 25 on a daylight-saving change'),
  ruleParameters: z.object({
    conservativeTrialDays: z.number().int(),
    minIntervalDays: z.number().int(),
    injectionsWithoutConsultation: z.number().int(),
    minConsultationAllowance: z.number().int(),
    maxConsultationAllowance: z.number().int(),
    outcomeMinDaysAfterInjection: z.number().int(),
  }),
  flagParameters: z.object({
    meaningfulImprovementPercent: z.number().int(),
    annualLimit: z.number().int(),
    annualWindowDays: z.number().int(),
  }),
  reportParameters: z.object({
    exemptionWarningHours: z.number().int(),
    outcomeDueDays: z.number().int(),
    integrityItemLimit: z.number().int(),
  }),
  generatedAt: Instant,
  version: z.string(),
  contentHash: z.string().describe('SHA-256 of the report without generatedAt, version and this hash: equal hashes mean equal content'),
});

export const DailyReport = z
  .object({
    meta: ReportMeta,
    totals: ReportTotals,
    injections: z.array(DayInjection),
    r1Exemptions: z.array(ExemptionItem),
    integrity: z.object({
      ok: z.boolean(),
      checks: z.array(IntegrityCheck),
      r2IntervalPairs: z.array(R2PairItem),
      r1WithoutExemption: z.array(R1ViolationItem),
      scheduledNowIneligible: z.array(NowIneligibleItem),
      closedEpisodeInjections: z.array(ClosedEpisodeItem),
      auditGaps: z.array(AuditGapItem),
      auditSeals: z.array(AuditSealItem),
      seals: AuditSealSummary,
    }),
    missingOutcomes: z.array(MissingOutcomeItem),
    noShowsAndCancellations: z.array(AbsenceItem),
    flags: z.array(FlagItem),
  })
  .meta({ id: 'DailyReport' });

export type DailyReportT = z.infer<typeof DailyReport>;
export type ReportTotalsT = z.infer<typeof ReportTotals>;

export const DailyQuery = z.object({
  date: IsoDate,
  format: z.enum(['json', 'csv']).optional().describe('overrides the Accept header'),
});

export const ReportRunDto = z
  .object({
    id: z.string(),
    reportDate: IsoDate,
    trigger: z.string(),
    status: z.enum(['running', 'succeeded', 'failed']),
    startedAt: Instant,
    finishedAt: Instant.nullable(),
    totals: ReportTotals.nullable(),
    resultHash: z.string().nullable(),
    differsFromPrevious: z.boolean().nullable().describe('null when no earlier successful run of the date exists'),
    error: z.string().nullable(),
    version: z.string(),
  })
  .meta({ id: 'ReportRun' });

export type ReportRunDtoT = z.infer<typeof ReportRunDto>;

export const RunsQuery = z.object({ date: IsoDate.optional(), ...PageQuery });
export const RunsPage = z.object({ items: z.array(ReportRunDto), nextCursor: z.string().nullable() });
