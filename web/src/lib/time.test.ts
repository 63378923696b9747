// Clinic-time helpers: answers depend on the clinic's zone only, never on the machine's (npm test runs
// these with the process in Pacific/Auckland).
import { describe, expect, it } from 'vitest';
import { addDays, dateIn, daysBetween, formatTime, offsetMinutes, timeIn, zonedIso } from './time';

const NY = 'America/New_York';

describe('zonedIso: a clinic wall time as an instant with the clinic offset', () => {
  it.each([
    ['2027-01-12', '10:30', NY, '2027-01-12T10:30:00-05:00'],
    ['2027-07-12', '10:30', NY, '2027-07-12T10:30:00-04:00'],
    ['2027-03-13', '09:00', NY, '2027-03-13T09:00:00-05:00'], // the day before spring forward
    ['2027-03-14', '09:00', NY, '2027-03-14T09:00:00-04:00'], // spring-forward day, after the jump
    ['2027-11-07', '00:30', NY, '2027-11-07T00:30:00-04:00'], // fall-back day, before the change
    ['2027-11-07', '09:00', NY, '2027-11-07T09:00:00-05:00'],
    ['2027-04-04', '09:00', 'Pacific/Auckland', '2027-04-04T09:00:00+12:00'],
    ['2027-06-01', '09:00', 'Asia/Kolkata', '2027-06-01T09:00:00+05:30'],
    ['2027-06-01', '09:00', 'UTC', '2027-06-01T09:00:00+00:00'],
  ])('%s %s in %s → %s', (date, time, zone, iso) => {
    expect(zonedIso(date, time, zone)).toBe(iso);
    // …and reading it back in the zone gives the same wall time.
    expect(dateIn(zone, iso)).toBe(date);
    expect(timeIn(zone, iso)).toBe(time);
  });
});

describe('reading instants in the clinic zone', () => {
  it('gives the clinic date, not the machine date, near midnight', () => {
    // 03:30Z on Jan 13 is still Jan 12 in New York and already Jan 13 afternoon in Auckland.
    expect(dateIn(NY, '2027-01-13T03:30:00Z')).toBe('2027-01-12');
    expect(dateIn('Pacific/Auckland', '2027-01-13T03:30:00Z')).toBe('2027-01-13');
  });

  it('formats times in the clinic zone', () => {
    expect(formatTime('2027-01-12T15:30:00.000Z', NY)).toBe('10:30 AM');
    expect(formatTime('2027-07-12T14:30:00.000Z', NY)).toBe('10:30 AM');
  });

  it('knows the offset on both sides of a DST change', () => {
    expect(offsetMinutes(Date.parse('2027-03-14T06:59:00Z'), NY)).toBe(-300);
    expect(offsetMinutes(Date.parse('2027-03-14T07:00:00Z'), NY)).toBe(-240);
  });
});

describe('calendar arithmetic', () => {
  it('counts calendar days across DST and month ends', () => {
    expect(daysBetween('2027-03-01', '2027-03-15')).toBe(14);
    expect(daysBetween('2027-10-30', '2027-11-13')).toBe(14);
    expect(addDays('2027-02-27', 2)).toBe('2027-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });
});
