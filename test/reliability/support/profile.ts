// Sizes of the reliability runs. `RELIABILITY_PROFILE=short` is what CI runs after `npm test`; the full
// profile is the one whose figures docs/reliability.md quotes.
export const PROFILE: 'full' | 'short' = process.env.RELIABILITY_PROFILE === 'short' ? 'short' : 'full';
const short = PROFILE === 'short';

export const SIZES = {
  /** Two instances on one database. */
  bookingAttempts: 200,
  bookingPatients: 20,
  /** Crash tests: bookings acknowledged before the kill -9. */
  crashAckedBeforeKill: short ? 20 : 60,
  /** Database outage under load. */
  outageSeconds: 10,
  /** Hostile input. */
  fuzzRequests: short ? 2_000 : 20_000,
  fuzzSocketShare: 0.2,
  /** Soak at ~70 % of the measured maximum. Enough patients that none collects more injections than a
   * real one would (a fifth of the requests are bookings): about 10 each by the end of the full soak. */
  soakPatients: short ? 500 : 4_000,
  soakSeconds: short ? 20 : 300,
  soakWindowSeconds: short ? 5 : 60,
  maxProbeSeconds: short ? 3 : 8,
} as const;

/** Client-side bound on any one request: longer than every server timeout, so a hang shows as one. */
export const CLIENT_TIMEOUT_MS = 20_000;
