// CDS Hooks 2.0 request and response shapes, transcribed from the published specification
// (HL7 CDS Hooks STU2 2.0.1, https://cds-hooks.hl7.org/2.0/; source: github.com/HL7/cds-hooks, tag v2.0.1,
// input/pagecontent/index.md). Section names are the specification's:
// - "Discovery" > "Response": the services list;
// - "Calling a CDS Service" > "HTTP Request": hook, hookInstance, fhirServer, fhirAuthorization, context, prefetch;
// - "FHIR Resource Access": the fhirAuthorization object;
// - "CDS Service Response" > "HTTP Response", "Card Attributes", "Source", "Suggestion", "Action", "Link";
// - "Data Types" > "Coding";
// - the `appointment-book` hook's "Context" (userId, patientId, encounterId, appointments).
// "Use of JSON": optional elements are omitted, never null or empty, so arrays that are present hold
// at least one item. Request objects stay open (the specification's "Extensions" allow an `extension`
// member and clients add their own); response objects are closed.
import { z } from 'zod';

const str = (max: number) => z.string().min(1).max(max);
const url = z.url({ protocol: /^https?$/ }).max(2000);

// ---- Data Types > Coding ------------------------------------------------------------------------

export const CdsCoding = z.object({
  code: str(200),
  system: str(500).optional(),
  display: str(500).optional(),
});

// ---- Discovery > Response -----------------------------------------------------------------------

export const CdsService = z.object({
  hook: str(100),
  title: str(200).optional(),
  description: str(2000),
  id: str(100),
  prefetch: z.record(z.string(), z.string()).optional(),
  usageRequirements: str(2000).optional(),
});

export const CdsDiscovery = z.object({ services: z.array(CdsService) }).meta({ id: 'CdsDiscovery' });

// ---- Calling a CDS Service > HTTP Request -------------------------------------------------------

export const FhirAuthorization = z.looseObject({
  access_token: str(8000),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().nonnegative(),
  scope: str(4000),
  subject: str(500),
  patient: str(200).optional(),
});

const requestFields = {
  hook: str(100),
  hookInstance: str(200),
  fhirServer: url.optional(),
  fhirAuthorization: FhirAuthorization.optional(),
  context: z.looseObject({}),
  prefetch: z.record(z.string(), z.unknown()).optional(),
};

/** "If fhirAuthorization is provided, this field [fhirServer] is REQUIRED." */
const fhirServerWithAuthorization = (r: { fhirServer?: string | undefined; fhirAuthorization?: unknown }) =>
  r.fhirAuthorization === undefined || r.fhirServer !== undefined;

export const CdsRequest = z
  .looseObject(requestFields)
  .refine(fhirServerWithAuthorization, { message: 'fhirServer is required with fhirAuthorization', path: ['fhirServer'] });

// ---- appointment-book > Context -----------------------------------------------------------------

const CodeableConceptIn = z.looseObject({
  coding: z
    .array(z.looseObject({ system: z.string().max(500).optional(), code: z.string().max(200).optional() }))
    .max(50)
    .optional(),
  text: z.string().max(1000).optional(),
});

/** A proposed Appointment as the EHR sends it. Only the elements the service reads are checked here;
 * the rest travels back unchanged in a suggestion (`start` is checked for ESI appointments only). */
export const ProposedAppointment = z.looseObject({
  resourceType: z.literal('Appointment'),
  id: z.string().max(64).optional(),
  status: z.string().max(40).optional(),
  start: z.string().max(40).optional(),
  end: z.string().max(40).optional(),
  serviceType: z.array(CodeableConceptIn).max(50).optional(),
  appointmentType: CodeableConceptIn.optional(),
});

export const AppointmentBundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string().max(40).optional(),
  entry: z
    .array(z.looseObject({ resource: ProposedAppointment }))
    .max(50)
    .optional(),
});

export const AppointmentBookContext = z.looseObject({
  userId: str(200),
  patientId: str(200),
  encounterId: str(200).optional(),
  /** "FHIR Bundle of Appointments in 'proposed' state"; the specification's own examples send a plain array. */
  appointments: z.union([AppointmentBundle, z.array(ProposedAppointment).min(1).max(50)]),
});

export const AppointmentBookRequest = z
  .looseObject({ ...requestFields, hook: z.literal('appointment-book'), context: AppointmentBookContext })
  .refine(fhirServerWithAuthorization, { message: 'fhirServer is required with fhirAuthorization', path: ['fhirServer'] })
  .meta({ id: 'CdsAppointmentBookRequest' });

// ---- CDS Service Response -----------------------------------------------------------------------

export const CdsSource = z.object({
  label: str(200),
  url: url.optional(),
  icon: url.optional(),
  topic: CdsCoding.optional(),
});

export const CdsAction = z.object({
  type: z.enum(['create', 'update', 'delete']),
  description: str(1000),
  resource: z.record(z.string(), z.unknown()).optional(),
  resourceId: str(200).optional(),
});

export const CdsSuggestion = z.object({
  label: str(200),
  uuid: z.uuid().optional(),
  isRecommended: z.boolean().optional(),
  actions: z.array(CdsAction).min(1).optional(),
});

export const CdsLink = z
  .object({
    label: str(200),
    url,
    type: z.enum(['absolute', 'smart']),
    appContext: str(4000).optional(),
    autolaunchable: z.boolean().optional(),
  })
  .refine((l) => l.appContext === undefined || l.type === 'smart', { message: 'appContext is only valid for smart links' });

export const CdsCard = z
  .object({
    uuid: z.uuid().optional(),
    /** "One-sentence, <140-character summary message". */
    summary: str(139),
    detail: str(10_000).optional(),
    indicator: z.enum(['info', 'warning', 'critical']),
    source: CdsSource,
    suggestions: z.array(CdsSuggestion).min(1).optional(),
    selectionBehavior: z.enum(['at-most-one', 'any']).optional(),
    overrideReasons: z
      .array(CdsCoding.required({ display: true }))
      .min(1)
      .optional(),
    links: z.array(CdsLink).min(1).optional(),
  })
  .refine((c) => c.suggestions === undefined || c.selectionBehavior !== undefined, {
    message: 'selectionBehavior must be provided with suggestions',
    path: ['selectionBehavior'],
  });

export const CdsResponse = z
  .object({ cards: z.array(CdsCard), systemActions: z.array(CdsAction).min(1).optional() })
  .meta({ id: 'CdsResponse' });

export type CdsCard = z.infer<typeof CdsCard>;
export type CdsSuggestion = z.infer<typeof CdsSuggestion>;
export type CdsResponse = z.infer<typeof CdsResponse>;
export type CdsDiscovery = z.infer<typeof CdsDiscovery>;
export type ProposedAppointment = z.infer<typeof ProposedAppointment>;
export type AppointmentBookRequest = z.infer<typeof AppointmentBookRequest>;
