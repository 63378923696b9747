// The CDS Hooks 2.0 schemas against the specification's own examples (test/fixtures/cds-hooks), and the
// compile-time guarantee that a card cannot leave out summary, indicator or source.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AppointmentBookContext,
  AppointmentBookRequest,
  CdsCard,
  CdsDiscovery,
  CdsRequest,
  CdsResponse,
} from '../../../src/modules/cds-hooks/cds-hooks.schemas.ts';

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/cds-hooks/${name}`, import.meta.url), 'utf8')) as Record<string, any>;

describe("the specification's examples", () => {
  it('its example request is a valid CDS Hooks request', () => {
    expect(CdsRequest.safeParse(example('calling-example-request.json')).success).toBe(true);
  });

  it('its example response and discovery document are valid', () => {
    expect(CdsResponse.safeParse(example('card-example-response.json')).error).toBeUndefined();
    expect(CdsDiscovery.safeParse(example('discovery-example.json')).error).toBeUndefined();
  });

  it('both appointment-book example contexts are valid contexts (array form)', () => {
    for (const name of ['appointment-book-context-1.json', 'appointment-book-context-2.json']) {
      expect(AppointmentBookContext.safeParse(example(name).context).error).toBeUndefined();
    }
  });

  it('an appointment-book request built from the example request and context is valid; as a Bundle too', () => {
    const base = example('calling-example-request.json');
    const context = example('appointment-book-context-1.json').context;
    expect(AppointmentBookRequest.safeParse({ ...base, hook: 'appointment-book', context }).error).toBeUndefined();
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: context.appointments.map((resource: unknown) => ({ resource })) };
    expect(
      AppointmentBookRequest.safeParse({ ...base, hook: 'appointment-book', context: { ...context, appointments: bundle } }).error,
    ).toBeUndefined();
  });
});

describe('what the schemas refuse', () => {
  const base = example('calling-example-request.json');
  const context = example('appointment-book-context-1.json').context;
  it.each([
    ['no hookInstance', { ...base, hookInstance: undefined }],
    ['fhirAuthorization without fhirServer', { ...base, fhirServer: undefined }],
    ['no context', { ...base, context: undefined }],
  ])('a request with %s', (_name, body) => {
    expect(CdsRequest.safeParse(body).success).toBe(false);
  });
  it.each([
    ['another hook', { ...base, hook: 'patient-view', context }],
    ['no patientId', { ...base, hook: 'appointment-book', context: { ...context, patientId: undefined } }],
    ['no userId', { ...base, hook: 'appointment-book', context: { ...context, userId: undefined } }],
    ['no appointments', { ...base, hook: 'appointment-book', context: { ...context, appointments: undefined } }],
    ['an empty array of appointments', { ...base, hook: 'appointment-book', context: { ...context, appointments: [] } }],
    [
      'a resource that is not an Appointment',
      { ...base, hook: 'appointment-book', context: { ...context, appointments: [{ resourceType: 'Patient' }] } },
    ],
  ])('an appointment-book request with %s', (_name, body) => {
    expect(AppointmentBookRequest.safeParse(body).success).toBe(false);
  });

  it('cards without summary, indicator or source, with a summary of 140 characters, or suggestions without selectionBehavior', () => {
    const card = { summary: 'ok', indicator: 'info', source: { label: 'ESI Scheduler' } };
    expect(CdsCard.safeParse(card).success).toBe(true);
    for (const key of ['summary', 'indicator', 'source'] as const) {
      const { [key]: _gone, ...rest } = card;
      expect(CdsCard.safeParse(rest).success).toBe(false);
    }
    expect(CdsCard.safeParse({ ...card, summary: 'x'.repeat(140) }).success).toBe(false);
    expect(CdsCard.safeParse({ ...card, summary: 'x'.repeat(139) }).success).toBe(true);
    expect(CdsCard.safeParse({ ...card, indicator: 'hard-stop' }).success).toBe(false);
    expect(CdsCard.safeParse({ ...card, suggestions: [{ label: 'Move' }] }).success).toBe(false);
    expect(CdsCard.safeParse({ ...card, links: [{ label: 'x', url: 'https://e.org', type: 'absolute', appContext: '{}' }] }).success).toBe(
      false,
    );
  });
});

describe('the card type', () => {
  it('is rejected by the compiler without summary, indicator or source (checked by npm run typecheck)', () => {
    const source = { label: 'ESI Scheduler' };
    // @ts-expect-error summary is required
    const noSummary: CdsCard = { indicator: 'info', source };
    // @ts-expect-error indicator is required
    const noIndicator: CdsCard = { summary: 'A card', source };
    // @ts-expect-error source is required
    const noSource: CdsCard = { summary: 'A card', indicator: 'info' };
    // @ts-expect-error indicator is one of info, warning, critical
    const badIndicator: CdsCard = { summary: 'A card', indicator: 'urgent', source };
    const good: CdsCard = { summary: 'A card', indicator: 'critical', source };
    expect([noSummary, noIndicator, noSource, badIndicator, good]).toHaveLength(5);
  });
});
