// The spine's interspaces by region and what each approach allows (SPEC "Anatomy"), so the booking form
// offers only what can be performed and says why before the server has to. The server still judges.
import type { Approach, Region, Side } from '../api/types';

const seq = (prefix: string, from: number, to: number, next: (n: number) => string) =>
  Array.from({ length: to - from + 1 }, (_, k) => `${prefix}${from + k}-${next(from + k)}`);

export const LEVELS: Record<Region, string[]> = {
  cervical: seq('C', 2, 7, (n) => (n === 7 ? 'T1' : `C${n + 1}`)),
  thoracic: seq('T', 1, 12, (n) => (n === 12 ? 'L1' : `T${n + 1}`)),
  lumbar: seq('L', 1, 5, (n) => (n === 5 ? 'S1' : `L${n + 1}`)),
};

export const SIDES_FOR: Record<Approach, Side[]> = {
  transforaminal: ['left', 'right', 'bilateral'],
  interlaminar: ['midline', 'left', 'right'],
  caudal: ['midline'],
};

export const LEVEL_HINT: Record<Approach, string> = {
  transforaminal: 'One level, or two next to each other.',
  interlaminar: 'Exactly one level.',
  caudal: 'No level: a caudal injection enters at the sacral hiatus.',
};

export function approachesFor(region: Region): Approach[] {
  return region === 'lumbar' ? ['transforaminal', 'interlaminar', 'caudal'] : ['transforaminal', 'interlaminar'];
}

/** What is wrong with the chosen levels for the approach, in words; null when they can be performed. */
export function levelsProblem(region: Region, approach: Approach, levels: string[]): string | null {
  if (approach === 'caudal') return levels.length ? 'A caudal injection takes no level.' : null;
  if (levels.length === 0) return 'Choose the level.';
  if (approach === 'interlaminar' && levels.length !== 1) return 'An interlaminar injection treats exactly one level.';
  if (levels.length > 2) return 'A transforaminal session treats one or two levels.';
  if (levels.length === 2) {
    const all = LEVELS[region];
    const [a = '', b = ''] = levels;
    if (Math.abs(all.indexOf(a) - all.indexOf(b)) !== 1) return 'Two levels in one session must be next to each other.';
  }
  return null;
}

/** Levels in head-to-tail order, as the API wants them. */
export const ordered = (region: Region, levels: string[]) => LEVELS[region].filter((l) => levels.includes(l));
