// The appointment-book card builder: ESI detection, the clinic date, one critical card per rule with the
// recommended move (same clinic-local time, across DST), coverage warnings and flag infos; every card
// checked against the CDS Hooks 2.0 schema.
import { describe, expect, it } from 'vitest';
import {
  appointmentCards,
  appointmentsOf,
  clinicDateOf,
  flagCards,
  isEsiAppointment,
  moveToDate,
  summary,
  unknownPatientCard,
  type EligibilityView,
} from '../../../src/modules/cds-hooks/cds-cards.ts';
import { CdsResponse, type ProposedAppointment } from '../../../src/modules/cds-hooks/cds-hooks.schemas.ts';
import { DEFAULT_ESI_CODES } from '../../../src/config.ts';

const ZONE = 'America/New_York';
const CTX = { patientId: 'p-1', publicUrl: 'https://esi.example.org', zone: ZONE };
const cpt = (code: string, system: string | null = 'http://www.ama-assn.org/go/cpt') => ({
  coding: [{ ...(system === null ? {} : { system }), code }],
});
const appt = (over: Partial<ProposedAppointment> = {}): ProposedAppointment => ({
  resourceType: 'Appointment',
  id: 'apt1',
  status: 'proposed',
  serviceType: [cpt('64483')],
  start: '2027-03-05T09:00:00-05:00',
  end: '2027-03-05T09:30:00-05:00',
  participant: [{ actor: { reference: 'Patient/p-1' }, status: 'tentative' }],
  ...over,
});

describe('ESI detection', () => {
  it.each(DEFAULT_ESI_CODES)('CPT %s in serviceType is an ESI', (code) => {
    expect(isEsiAppointment(appt({ serviceType: [cpt(code)] }), DEFAULT_ESI_CODES)).toBe(true);
  });
  it('a CPT code without a system, in appointmentType, or the local esi code also is', () => {
    expect(isEsiAppointment(appt({ serviceType: [cpt('62323', null)] }), DEFAULT_ESI_CODES)).toBe(true);
    expect(isEsiAppointment(appt({ serviceType: undefined, appointmentType: cpt('64479') }), DEFAULT_ESI_CODES)).toBe(true);
    expect(isEsiAppointment(appt({ serviceType: [cpt('esi', 'urn:esi-scheduler:appointment-type')] }), DEFAULT_ESI_CODES)).toBe(true);
    expect(isEsiAppointment(appt({ serviceType: [cpt('esi', null)] }), DEFAULT_ESI_CODES)).toBe(true);
  });
  it('other codes, the same digits in another system, and a code outside a configured set are not', () => {
    expect(isEsiAppointment(appt({ serviceType: [cpt('183', null)] }), DEFAULT_ESI_CODES)).toBe(false);
    expect(isEsiAppointment(appt({ serviceType: [cpt('64483', 'http://snomed.info/sct')] }), DEFAULT_ESI_CODES)).toBe(false);
    expect(isEsiAppointment(appt({ serviceType: [cpt('esi', 'http://example.org/types')] }), DEFAULT_ESI_CODES)).toBe(false);
    expect(isEsiAppointment(appt({ serviceType: [cpt('64483')] }), ['62321'])).toBe(false);
    expect(isEsiAppointment(appt({ serviceType: undefined }), DEFAULT_ESI_CODES)).toBe(false);
  });
  it('reads Bundles and plain arrays alike', () => {
    const a = appt();
    expect(appointmentsOf([a])).toEqual([a]);
    expect(appointmentsOf({ resourceType: 'Bundle', entry: [{ resource: a }] })).toEqual([a]);
    expect(appointmentsOf({ resourceType: 'Bundle' })).toEqual([]);
  });
});

describe('the clinic date and the move', () => {
  it('judges the clinic calendar date of start, not the UTC one', () => {
    expect(clinicDateOf('2027-03-06T03:30:00Z', ZONE)).toBe('2027-03-05');
    expect(clinicDateOf('2027-03-05T23:30:00-05:00', 'Pacific/Auckland')).toBe('2027-03-06');
    expect(clinicDateOf('2027-03-05T09:00:00', ZONE)).toBeNull();
    expect(clinicDateOf('2019-08-10T09:10:00:00-06:00', ZONE)).toBeNull();
    expect(clinicDateOf(undefined, ZONE)).toBeNull();
  });

  it('keeps the clinic-local time of day across the spring DST change, and the length', () => {
    const moved = moveToDate(appt(), '2027-03-15', ZONE);
    expect(moved.start).toBe('2027-03-15T09:00:00-04:00');
    expect(moved.end).toBe('2027-03-15T09:30:00-04:00');
    expect(moved.id).toBe('apt1');
    expect(moved.participant).toEqual(appt().participant);
  });

  it('keeps it across the autumn change, from a start given in UTC', () => {
    const moved = moveToDate(appt({ start: '2027-10-29T13:15:00Z', end: undefined }), '2027-11-12', ZONE);
    expect(moved.start).toBe('2027-11-12T09:15:00-05:00');
    expect(moved.end).toBeUndefined();
  });

  it('moves a time inside the spring-forward gap to the same wall-clock hour plus the gap', () => {
    const moved = moveToDate(appt({ start: '2027-03-05T02:30:00-05:00', end: undefined }), '2027-03-14', ZONE);
    expect(moved.start).toBe('2027-03-14T03:30:00-04:00');
  });
});

const R2: EligibilityView = {
  eligible: false,
  on: '2027-03-05',
  earliestEligibleDate: '2027-03-15',
  blockers: [{ rule: 'R2_INJECTION_INTERVAL', message: 'Another injection on 2027-03-01 is 4 days away', until: '2027-03-15' }],
};

describe('cards', () => {
  it('one critical card per violated rule, naming the rule and the earliest date, with one recommended update moving the whole appointment', () => {
    const cards = appointmentCards(appt(), '2027-03-05', R2, CTX);
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(card.indicator).toBe('critical');
    expect(card.summary).toMatch(/R2/);
    expect(card.summary).toMatch(/2027-03-15/);
    expect(card.summary.length).toBeLessThan(140);
    expect(card.source.label).toBe('ESI Scheduler');
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.suggestions).toHaveLength(1);
    const s = card.suggestions![0]!;
    expect(s.isRecommended).toBe(true);
    expect(s.actions).toHaveLength(1);
    expect(s.actions![0]!.type).toBe('update');
    expect(s.actions![0]!.resource).toEqual({ ...appt(), start: '2027-03-15T09:00:00-04:00', end: '2027-03-15T09:30:00-04:00' });
    expect(card.links).toEqual([{ label: expect.any(String), url: 'https://esi.example.org/app/patients/p-1', type: 'absolute' }]);
    expect(CdsResponse.safeParse({ cards }).error).toBeUndefined();
  });

  it('no suggestion when no date can pass (R3, R4, R5), and every rule gets its card', () => {
    const e: EligibilityView = {
      eligible: false,
      on: '2027-03-05',
      earliestEligibleDate: null,
      blockers: [
        { rule: 'R4_RED_FLAG', message: 'Red flag', until: null },
        { rule: 'R5_CONSULTATION', message: 'Needs a consultation', until: null },
        { rule: 'R1_CONSERVATIVE_TRIAL', message: 'Too early', until: '2027-04-01' },
      ],
    };
    const cards = appointmentCards(appt(), '2027-03-05', e, CTX);
    expect(cards.map((c) => c.summary.slice(0, 2))).toEqual(['R4', 'R5', 'R1']);
    for (const c of cards) {
      expect(c).not.toHaveProperty('suggestions');
      expect(c).not.toHaveProperty('selectionBehavior');
      expect(c.summary).toMatch(/no eligible date/);
    }
    expect(CdsResponse.safeParse({ cards }).error).toBeUndefined();
  });

  it('an eligible date gives no card; coverage issues give warnings, when the eligibility carries them', () => {
    const ok: EligibilityView = { eligible: true, on: '2027-03-05', earliestEligibleDate: '2027-03-05', blockers: [] };
    expect(appointmentCards(appt(), '2027-03-05', ok, CTX)).toEqual([]);
    const withCoverage: EligibilityView = {
      ...ok,
      coverage: {
        policyId: 'example-payer',
        covered: false,
        issues: [{ check: 'C_MIN_INTERVAL_DAYS', message: 'The payer pays one injection per 30 days', until: '2027-03-31' }],
      },
    };
    const cards = appointmentCards(appt(), '2027-03-05', withCoverage, CTX);
    expect(cards.map((c) => c.indicator)).toEqual(['warning']);
    expect(cards[0]!.summary).toMatch(/C_MIN_INTERVAL_DAYS.*2027-03-31/);
    expect(CdsResponse.safeParse({ cards }).error).toBeUndefined();
  });

  it('flags become info cards; an unknown patient one info card', () => {
    const cards = [
      ...flagCards([{ flag: 'ANNUAL_LIMIT', message: 'A fifth injection in the lumbar region within 365 days' }], CTX),
      unknownPatientCard('1288992'),
    ];
    expect(cards.map((c) => c.indicator)).toEqual(['info', 'info']);
    expect(cards[0]!.summary).toMatch(/^ANNUAL_LIMIT/);
    expect(cards[1]!.summary).toMatch(/1288992/);
    expect(CdsResponse.safeParse({ cards }).error).toBeUndefined();
  });

  it('cuts a summary of 140 characters or more at a word', () => {
    const long = summary(`${'word '.repeat(40)}end`);
    expect(long.length).toBeLessThan(140);
    expect(long.endsWith('…')).toBe(true);
    expect(summary('short')).toBe('short');
  });
});
