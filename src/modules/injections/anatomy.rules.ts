// Anatomy of a booking (SPEC §2 "Anatomy"): which interspaces, by which approach, on which side.
// Pure: the episode's region is a parameter. Every problem names the request field it is about, so
// the API can answer 400 INJECTION.ANATOMY with `errors[]` and store nothing.

export type Region = 'lumbar' | 'cervical' | 'thoracic';
export type Approach = 'transforaminal' | 'interlaminar' | 'caudal';
export type Side = 'left' | 'right' | 'bilateral' | 'midline';

/** Segments in head-to-tail order; an interspace joins two neighbours (C7-T1, T12-L1, L5-S1). */
const SEGMENTS = [
  ...['C2', 'C3', 'C4', 'C5', 'C6', 'C7'],
  ...Array.from({ length: 12 }, (_, k) => `T${k + 1}`),
  ...['L1', 'L2', 'L3', 'L4', 'L5'],
  'S1',
] as const;

/** Every interspace the service knows, head to tail, with the region it belongs to (its upper segment's). */
export const INTERSPACES: readonly { level: string; region: Region }[] = SEGMENTS.slice(0, -1).map((upper, k) => ({
  level: `${upper}-${SEGMENTS[k + 1] ?? ''}`,
  region: upper.startsWith('C') ? 'cervical' : upper.startsWith('T') ? 'thoracic' : 'lumbar',
}));

const INDEX = new Map(INTERSPACES.map((x, k) => [x.level, k]));

export const levelsOf = (region: Region): string[] => INTERSPACES.filter((x) => x.region === region).map((x) => x.level);

export interface AnatomyInput {
  /** the episode's region; null judges everything that does not depend on it */
  region: Region | null;
  levels: readonly string[];
  approach: Approach;
  side: Side;
}

export interface AnatomyProblem {
  path: string;
  message: string;
}

const SIDES_FOR: Record<Approach, readonly Side[]> = {
  transforaminal: ['left', 'right', 'bilateral'],
  interlaminar: ['midline', 'left', 'right'],
  caudal: ['midline'],
};

const regionWords = (r: Region) => `${r} (${levelsOf(r)[0] ?? ''} to ${levelsOf(r).at(-1) ?? ''})`;

/** The levels as the service stores them: head to tail. */
export function normaliseLevels(levels: readonly string[]): string[] {
  return [...levels].sort((a, b) => (INDEX.get(a) ?? 0) - (INDEX.get(b) ?? 0));
}

/** Every anatomical problem of the request (empty when it is a session a clinician could perform). */
export function checkAnatomy(input: AnatomyInput, path = 'body'): AnatomyProblem[] {
  const problems: AnatomyProblem[] = [];
  const { region, approach, side, levels } = input;

  if (approach === 'caudal' && region !== null && region !== 'lumbar') {
    problems.push({
      path: `${path}.approach`,
      message: `a caudal injection enters at the sacral hiatus and treats the lumbar spine; this episode is ${region}`,
    });
  }
  if (!SIDES_FOR[approach].includes(side)) {
    problems.push({ path: `${path}.side`, message: `a ${approach} injection is given ${SIDES_FOR[approach].join(', ')}, not ${side}` });
  }

  let levelsReadable = true;
  levels.forEach((level, k) => {
    const at = `${path}.levels.${k}`;
    const known = INDEX.get(level);
    if (known === undefined) {
      levelsReadable = false;
      const reversed = /^([A-Z]\d{1,2})-([A-Z]\d{1,2})$/.exec(level);
      const hint =
        reversed && INDEX.has(`${reversed[2] ?? ''}-${reversed[1] ?? ''}`)
          ? `; write the upper segment first (${reversed[2] ?? ''}-${reversed[1] ?? ''})`
          : '; use an interspace of adjacent segments such as L4-L5 or C6-C7';
      problems.push({ path: at, message: `${level} is not an interspace${hint}` });
    } else if (region !== null && INTERSPACES[known]?.region !== region) {
      levelsReadable = false;
      problems.push({ path: at, message: `${level} is not in the ${regionWords(region)} spine of this episode` });
    }
  });
  if (new Set(levels).size !== levels.length) {
    levelsReadable = false;
    problems.push({ path: `${path}.levels`, message: 'must not repeat a level' });
  }

  switch (approach) {
    case 'caudal':
      if (levels.length > 0) {
        problems.push({ path: `${path}.levels`, message: 'a caudal injection enters at the sacral hiatus: send no levels' });
      }
      break;
    case 'interlaminar':
      if (levels.length !== 1)
        problems.push({ path: `${path}.levels`, message: `an interlaminar injection treats exactly 1 level, not ${levels.length}` });
      break;
    case 'transforaminal':
      if (levels.length < 1 || levels.length > 2) {
        problems.push({ path: `${path}.levels`, message: `a transforaminal session treats 1 or 2 levels, not ${levels.length}` });
      } else if (levels.length === 2 && levelsReadable) {
        const [a, b] = levels.map((l) => INDEX.get(l) ?? 0);
        if (Math.abs((a ?? 0) - (b ?? 0)) !== 1) {
          problems.push({
            path: `${path}.levels`,
            message: `two levels in one session must be contiguous (such as L4-L5 and L5-S1), not ${levels.join(' and ')}`,
          });
        }
      }
      break;
  }
  return problems;
}
