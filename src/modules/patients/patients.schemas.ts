import { z } from 'zod';
import { IsoDate, Page, PageQuery } from '../../shared/schemas.ts';
import { EpisodeDto } from '../episodes/episodes.schemas.ts';
import { InjectionDto } from '../injections/injections.schemas.ts';

const Name = z.string().trim().min(1, 'must not be empty').max(100);
const Phone = z
  .string()
  .max(60, 'must be a phone number')
  .trim()
  .regex(/^\+?[0-9 ()./-]{3,40}$/, 'must be a phone number');
const Email = z.email({ message: 'must be an email address' }).max(254);
export const Mrn = z
  .string()
  .max(32, 'must be 1-32 letters, digits or hyphens')
  .regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1-32 letters, digits or hyphens');

export const CreatePatientBody = z
  .strictObject({
    mrn: Mrn,
    givenName: Name,
    familyName: Name,
    birthDate: IsoDate,
    phone: Phone.nullish(),
    email: Email.nullish(),
  })
  .meta({ example: { mrn: 'MRN-1042', givenName: 'Ada', familyName: 'Example', birthDate: '1970-05-04', phone: '+1 555 0100' } });

/** Demographics only: the MRN identifies the record and is not edited. `null` clears phone or email. */
export const UpdatePatientBody = z
  .strictObject({
    givenName: Name.optional(),
    familyName: Name.optional(),
    birthDate: IsoDate.optional(),
    phone: Phone.nullable().optional(),
    email: Email.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');

export const PatientDto = z
  .object({
    id: z.uuid(),
    mrn: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    birthDate: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Patient' });

export const FLAGS = [
  'URGENT_SURGICAL_REVIEW',
  'BOOKED_NOW_INELIGIBLE',
  'SURGICAL_REVIEW',
  'ANNUAL_LIMIT',
  'ADDITIONAL_INJECTION_CONSULT',
  'SECOND_INJECTION_SUGGESTED',
] as const;
export const FlagDto = z
  .object({
    flag: z.enum(FLAGS),
    message: z.string(),
    injectionIds: z.array(z.uuid()).optional().describe('the scheduled injections BOOKED_NOW_INELIGIBLE names'),
  })
  .meta({ id: 'ClinicalFlag' });

export const PatientDetailDto = PatientDto.extend({
  openEpisode: EpisodeDto.nullable(),
  lastInjection: InjectionDto.nullable(),
  nextInjection: InjectionDto.nullable(),
  flags: z.array(FlagDto),
}).meta({ id: 'PatientDetail' });

export const ListPatientsQuery = z.object({ q: z.string().trim().max(100).optional(), ...PageQuery });
export const PatientPage = Page(PatientDto);

export type PatientDtoT = z.infer<typeof PatientDto>;
