// The coverage policies installed in policies/, read and validated once at start. A file that cannot be
// read or does not match the schema stops the start with a message naming the file and the field.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asRuleChecks, DEFAULT_POLICY_ID, PolicyFileSchema, type PolicyFile } from './coverage.schemas.ts';
import { policyVersionOn, type CoverageCheck, type PolicyVersion } from './coverage.rules.ts';

export interface CoveragePolicy extends PolicyVersion {
  id: string;
  name: string;
  source: string;
  checks: readonly CoverageCheck[];
}

export class PolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid coverage policies:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

/** Files are named `<id>.v<version>.json`, so a folder listing shows every version of a policy. */
const FILE_NAME = /^([a-z0-9][a-z0-9-]{0,62})\.v([1-9][0-9]{0,4})\.json$/;

export class PolicyRegistry {
  private readonly byId = new Map<string, CoveragePolicy[]>();

  constructor(policies: readonly CoveragePolicy[]) {
    for (const p of policies) this.byId.set(p.id, [...(this.byId.get(p.id) ?? []), p]);
    for (const versions of this.byId.values()) versions.sort((a, b) => a.version - b.version);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every version of a policy, oldest first (empty for an unknown id). */
  versions(id: string): readonly CoveragePolicy[] {
    return this.byId.get(id) ?? [];
  }

  /** The version that judges an injection on `date` (see policyVersionOn). */
  versionOn(id: string, date: string): CoveragePolicy | undefined {
    return policyVersionOn(this.versions(id), date);
  }

  /** Every version of every policy, by id then newest version first. */
  all(): CoveragePolicy[] {
    return [...this.byId.keys()].sort().flatMap((id) => [...this.versions(id)].reverse());
  }
}

function fromFile(f: PolicyFile): CoveragePolicy {
  return { id: f.id, version: f.version, name: f.name, effectiveFrom: f.effectiveFrom, source: f.source, checks: asRuleChecks(f) };
}

/** Reads every `*.json` file of `dir` (other files, such as a README, are left alone). */
export function loadPolicies(dir: string): PolicyRegistry {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch (err) {
    throw new PolicyError([`${dir}: cannot read the folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const problems: string[] = [];
  const loaded: { file: string; policy: CoveragePolicy }[] = [];
  for (const name of names.sort()) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
      continue;
    }
    const parsed = PolicyFileSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
      continue;
    }
    const named = FILE_NAME.exec(name);
    if (!named) {
      problems.push(`${file}: the file must be named <id>.v<version>.json, here ${parsed.data.id}.v${parsed.data.version}.json`);
      continue;
    }
    if (named[1] !== parsed.data.id) problems.push(`${file}: id: "${parsed.data.id}" differs from the file name's "${named[1]}"`);
    if (Number(named[2]) !== parsed.data.version)
      problems.push(`${file}: version: ${parsed.data.version} differs from the file name's ${named[2]}`);
    loaded.push({ file, policy: fromFile(parsed.data) });
  }
  // A later version takes effect no earlier than the one it replaces, so "the version in effect on a
  // date" always has one answer.
  const byId = new Map<string, { file: string; policy: CoveragePolicy }[]>();
  for (const l of loaded) byId.set(l.policy.id, [...(byId.get(l.policy.id) ?? []), l]);
  for (const list of byId.values()) {
    list.sort((a, b) => a.policy.version - b.policy.version);
    list.forEach((l, i) => {
      const prev = list[i - 1];
      if (prev && l.policy.effectiveFrom < prev.policy.effectiveFrom) {
        problems.push(
          `${l.file}: effectiveFrom: ${l.policy.effectiveFrom} is before version ${prev.policy.version}'s ${prev.policy.effectiveFrom}`,
        );
      }
    });
  }
  if (problems.length === 0 && !byId.has(DEFAULT_POLICY_ID)) {
    problems.push(`${join(dir, `${DEFAULT_POLICY_ID}.v1.json`)}: missing; ${DEFAULT_POLICY_ID} is the default policy of every patient`);
  }
  if (problems.length) throw new PolicyError(problems);
  return new PolicyRegistry(loaded.map((l) => l.policy));
}
