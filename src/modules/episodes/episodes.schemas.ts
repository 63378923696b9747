import { z } from 'zod';
import { IsoDate } from '../../shared/schemas.ts';

export const REGIONS = ['lumbar', 'cervical', 'thoracic'] as const;
export const THERAPIES = ['medication', 'physical_therapy', 'activity_modification', 'exercise_education'] as const;
export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export const SIGNS = ['numbness', 'tingling', 'weakness', 'reflex_loss', 'bowel_bladder'] as const;

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
    r1Exempt: z.boolean().describe('severe, or at least one neurological sign: the 6-week trial does not apply'),
    conservativeTrialEndsOn: z.string().nullable().describe('first date R1 allows (null when exempt)'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Episode' });

export const CloseEpisodeResponse = EpisodeDto.extend({ cancelledInjectionIds: z.array(z.uuid()) });
