import { z } from 'zod';
import { Instant, IsoDate, Uuid } from '../../shared/schemas.ts';

/** An interspace such as L4-L5, L5-S1, C6-C7 or T12-L1; which ones exist, and in which region, is
 * judged with the episode (400 INJECTION.ANATOMY names the problem), so this only bounds the text. */
export const Level = z.string().min(1).max(10).meta({ example: 'L4-L5' });
const Levels = z.array(Level).max(4).describe('interspaces, head to tail: 1–2 contiguous transforaminal, 1 interlaminar, none caudal');

export const APPROACHES = ['transforaminal', 'interlaminar', 'caudal'] as const;
export const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;
export const RULES = ['R1_CONSERVATIVE_TRIAL', 'R2_INJECTION_INTERVAL', 'R3_EPISODE', 'R4_RED_FLAG', 'R5_CONSULTATION'] as const;
export const STATUSES = ['scheduled', 'completed', 'cancelled', 'no_show'] as const;

const anatomy = {
  levels: Levels.optional(),
  level: Level.optional().describe('one level, for older clients; send `levels` or `level`, not both'),
};

/** Strict: a booking cannot carry severity, signs or any override; exemptions live on the episode. */
export const BookInjectionBody = z
  .strictObject({
    patientId: Uuid,
    episodeId: Uuid,
    scheduledAt: Instant,
    ...anatomy,
    approach: z.enum(APPROACHES),
    side: z.enum(SIDES),
  })
  .meta({
    example: {
      patientId: '6f1c2a4e-8d3b-4c1a-9e5f-2b7d8c9a0e11',
      episodeId: '0b7e4d2c-1a9f-4e3b-8c6d-5f2a1b3c4d5e',
      scheduledAt: '2027-02-15T09:00:00-05:00',
      levels: ['L4-L5', 'L5-S1'],
      approach: 'transforaminal',
      side: 'left',
    },
  });

export const RescheduleBody = z.strictObject({
  scheduledAt: Instant,
  ...anatomy,
  approach: z.enum(APPROACHES).optional(),
  side: z.enum(SIDES).optional(),
});
export const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const CompleteBody = z.strictObject({
  performedAt: Instant.describe("when it was given (not in the future); its clinic date becomes the injection's localDate"),
});
const Pain = z.number().int('must be a whole number').min(0).max(10);
export const OutcomeBody = z
  .strictObject({
    painBefore: Pain,
    painAfter: Pain,
    percentImprovement: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe('derived from the pain scores when omitted (null when painBefore is 0)'),
    assessedOn: IsoDate,
    reliefLastedDays: z
      .number()
      .int('must be a whole number')
      .min(0)
      .max(3650)
      .optional()
      .describe('how many days relief of at least 50% lasted, when known'),
  })
  .meta({ example: { painBefore: 8, painAfter: 3, percentImprovement: 60, assessedOn: '2027-03-01', reliefLastedDays: 42 } });

export const OutcomeDto = z.object({
  painBefore: z.number().int(),
  painAfter: z.number().int(),
  percentImprovement: z.number().int().nullable().describe('null when it cannot be derived (no pain before)'),
  assessedOn: z.string(),
  reliefLastedDays: z.number().int().nullable(),
  countsForFlags: z.boolean().describe('assessed at least 7 days after the injection; sooner it measures the anaesthetic, not the steroid'),
});

export const InjectionDto = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    episodeId: z.uuid(),
    scheduledAt: z.string(),
    localDate: z.string(),
    levels: z.array(z.string()),
    level: z.string().nullable().describe('the first of `levels` (null for caudal), kept for older clients'),
    approach: z.enum(APPROACHES),
    side: z.enum(SIDES),
    status: z.enum(STATUSES),
    performedAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    outcome: OutcomeDto.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Injection' });

export const HistoryItemDto = InjectionDto.extend({
  region: z.string(),
  daysSincePrevious: z.number().int().nullable().describe('calendar days since the previous scheduled/completed injection'),
});
export const HistoryDto = z.object({ patientId: z.uuid(), timeZone: z.string(), items: z.array(HistoryItemDto) });

export const EligibilityQuery = z.object({ on: IsoDate.optional().describe("defaults to today in the clinic's zone") });
export const EligibilityDto = z
  .object({
    eligible: z.boolean(),
    on: z.string(),
    earliestEligibleDate: z.string().nullable(),
    blockers: z.array(
      z.object({
        rule: z.enum(RULES),
        message: z.string(),
        until: z.string().nullable().describe('the first date this blocker no longer applies; null when no date clears it (R3–R5)'),
      }),
    ),
  })
  .meta({ id: 'Eligibility' });

export const SCHEDULE_PAGE = { default: 100, max: 500 } as const;
export const ScheduleQuery = z.object({
  date: IsoDate,
  limit: z.coerce.number().int().min(1).max(SCHEDULE_PAGE.max).default(SCHEDULE_PAGE.default),
  cursor: z.string().max(200).optional().describe("the previous page's nextCursor"),
});
export const ScheduleDto = z.object({
  date: z.string(),
  timeZone: z.string(),
  items: z.array(
    InjectionDto.extend({
      patient: z.object({ id: z.uuid(), mrn: z.string(), givenName: z.string(), familyName: z.string() }),
    }),
  ),
  nextCursor: z.string().nullable().describe('null on the last page'),
});
