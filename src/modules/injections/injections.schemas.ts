import { z } from 'zod';
import { Instant, IsoDate, Uuid } from '../../shared/schemas.ts';

const SEGMENT = '(?:C[1-8]|T(?:[1-9]|1[0-2])|L[1-5]|S[1-5]|Co)';
/** A spinal level or interspace such as L4-L5, L5-S1, C6-C7, S1, or the caudal sacral hiatus. */
export const Level = z
  .string()
  .regex(new RegExp(`^(?:${SEGMENT}(?:-${SEGMENT})?|sacral-hiatus)$`), 'must be a spinal level such as L4-L5, L5-S1 or C6-C7')
  .meta({ example: 'L4-L5' });

export const APPROACHES = ['transforaminal', 'interlaminar', 'caudal'] as const;
export const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;
export const STATUSES = ['scheduled', 'completed', 'cancelled', 'no_show'] as const;

/** Strict: a booking cannot carry severity, signs or any override; exemptions live on the episode. */
export const BookInjectionBody = z
  .strictObject({
    patientId: Uuid,
    episodeId: Uuid,
    scheduledAt: Instant,
    level: Level,
    approach: z.enum(APPROACHES),
    side: z.enum(SIDES),
  })
  .meta({
    example: {
      patientId: '6f1c…',
      episodeId: '0b7e…',
      scheduledAt: '2027-02-15T09:00:00-05:00',
      level: 'L4-L5',
      approach: 'transforaminal',
      side: 'left',
    },
  });

export const RescheduleBody = z.strictObject({ scheduledAt: Instant });
export const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const CompleteBody = z.strictObject({ performedAt: Instant });
const Pain = z.number().int('must be a whole number').min(0).max(10);
export const OutcomeBody = z
  .strictObject({
    painBefore: Pain,
    painAfter: Pain,
    percentImprovement: z.number().int().min(0).max(100).optional().describe('derived from the pain scores when omitted'),
    assessedOn: IsoDate,
  })
  .meta({ example: { painBefore: 8, painAfter: 3, percentImprovement: 60, assessedOn: '2027-03-01' } });

export const OutcomeDto = z.object({
  painBefore: z.number().int(),
  painAfter: z.number().int(),
  percentImprovement: z.number().int(),
  assessedOn: z.string(),
});

export const InjectionDto = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    episodeId: z.uuid(),
    scheduledAt: z.string(),
    localDate: z.string(),
    level: z.string(),
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
    blockers: z.array(z.object({ rule: z.string(), message: z.string(), until: z.string().nullable() })),
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
