import { z } from 'zod';
import { IsoDate } from '../../shared/schemas.ts';

export const REGIONS = ['lumbar', 'cervical', 'thoracic'] as const;
export const THERAPIES = ['medication', 'physical_therapy', 'activity_modification', 'exercise_education'] as const;
export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export const SIGNS = ['numbness', 'tingling', 'weakness', 'reflex_loss', 'bowel_bladder', 'saddle_anesthesia'] as const;

const uniqueList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .max(10)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a value');

export const CreateEpisodeBody = z
  .strictObject({
    region: z.enum(REGIONS),
    diagnosis: z.string().trim().min(1).max(500),
    conservativeCareStartedOn: IsoDate,
    therapies: uniqueList(z.enum(THERAPIES)).default([]),
    severity: z.enum(SEVERITIES),
    neurologicalSigns: uniqueList(z.enum(SIGNS)).default([]),
  })
  .meta({
    example: {
      region: 'lumbar',
      diagnosis: 'L5 radiculopathy',
      conservativeCareStartedOn: '2027-01-04',
      therapies: ['medication', 'physical_therapy'],
      severity: 'moderate',
      neurologicalSigns: [],
    },
  });

export const UpdateEpisodeBody = z
  .strictObject({
    diagnosis: z.string().trim().min(1).max(500).optional(),
    therapies: uniqueList(z.enum(THERAPIES)).optional(),
    severity: z.enum(SEVERITIES).optional(),
    neurologicalSigns: uniqueList(z.enum(SIGNS)).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');

export const CloseEpisodeBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });

const RecordedBy = z.object({ id: z.string().nullable(), name: z.string() }).describe('the key that recorded it');

export const ConsultationDto = z
  .object({
    id: z.uuid(),
    episodeId: z.uuid(),
    patientId: z.uuid(),
    allowInjections: z.number().int().describe('the total of scheduled/completed injections the episode may hold'),
    note: z.string(),
    recordedAt: z.string(),
    recordedBy: RecordedBy,
  })
  .meta({ id: 'Consultation' });

export const ClearanceDto = z
  .object({
    id: z.uuid(),
    episodeId: z.uuid(),
    patientId: z.uuid(),
    redFlags: z.array(z.enum(SIGNS)).describe('the red flags present when it was recorded, which it clears'),
    reason: z.string(),
    recordedAt: z.string(),
    recordedBy: RecordedBy,
  })
  .meta({ id: 'RedFlagClearance' });

export const ClearanceBody = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const ConsultationBody = z
  .strictObject({
    allowInjections: z
      .number()
      .int('must be a whole number')
      .min(3)
      .max(12)
      .describe('the total of scheduled/completed injections the episode may hold'),
    note: z.string().trim().min(1).max(2000),
  })
  .meta({ example: { allowInjections: 3, note: 'Partial relief after two; agreed a third at L5-S1.' } });

export const EpisodeDto = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    region: z.enum(REGIONS),
    diagnosis: z.string(),
    conservativeCareStartedOn: z.string(),
    therapies: z.array(z.enum(THERAPIES)),
    severity: z.enum(SEVERITIES),
    neurologicalSigns: z.array(z.enum(SIGNS)),
    status: z.enum(['open', 'closed']),
    closedReason: z.string().nullable(),
    closedAt: z.string().nullable(),
    r1Exempt: z.boolean().describe('severe, or at least one neurological sign other than a red flag: the 6-week trial does not apply'),
    conservativeTrialEndsOn: z.string().nullable().describe('first date R1 allows (null when exempt)'),
    redFlags: z
      .array(z.enum(SIGNS))
      .describe('red flags recorded (bowel_bladder, saddle_anesthesia): they block booking (R4) until cleared'),
    clearedRedFlags: z.array(z.enum(SIGNS)).describe('red flags a clinician has cleared; a flag added later is not among them'),
    redFlagBlocked: z.boolean().describe('R4 blocks booking: a red flag no clearance covers'),
    allowInjections: z
      .number()
      .int()
      .describe('scheduled/completed injections the episode may hold: 2, or what the latest consultation allows (R5)'),
    consultations: z.array(ConsultationDto),
    redFlagClearances: z.array(ClearanceDto),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Episode' });

export const CloseEpisodeResponse = EpisodeDto.extend({ cancelledInjectionIds: z.array(z.uuid()) });

export const EpisodeWarning = z.object({
  code: z.enum(['R1_EXEMPTION_WITHDRAWN', 'R4_RED_FLAG']),
  injectionId: z.uuid(),
  localDate: z.string(),
  message: z.string(),
});

export const UpdateEpisodeResponse = EpisodeDto.extend({
  warnings: z.array(EpisodeWarning).describe('scheduled injections the episode as edited would no longer allow; nothing is cancelled'),
});
