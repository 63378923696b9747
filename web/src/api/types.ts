// Names for the API's shapes, all taken from the generated OpenAPI types: a contract change in the
// server shows up here as a type error in whatever view uses the changed field.
import type { components, paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Ok<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch'> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer C }
      ? Json<C>
      : never
  : never;
export type Body<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;

export type Schemas = components['schemas'];
export type Patient = Schemas['Patient'];
export type PatientDetail = Schemas['PatientDetail'];
export type Episode = Schemas['Episode'];
export type Injection = Schemas['Injection'];
export type Eligibility = Schemas['Eligibility'];
export type ClinicalFlag = Schemas['ClinicalFlag'];
export type Problem = Schemas['Problem'];

export type Me = Ok<'/v1/me', 'get'>;
export type Role = Me['role'];
export type PatientPage = Ok<'/v1/patients', 'get'>;
export type Schedule = Ok<'/v1/schedule', 'get'>;
export type ScheduleItem = Schedule['items'][number];
export type History = Ok<'/v1/patients/{id}/injections', 'get'>;
export type HistoryItem = History['items'][number];
export type DailyReport = Ok<'/v1/reports/daily', 'get'>;
export type ClosedEpisode = Ok<'/v1/episodes/{id}/close', 'post'>;

export type CreatePatient = Body<'/v1/patients', 'post'>;
export type CreateEpisode = Body<'/v1/patients/{id}/episodes', 'post'>;
export type UpdateEpisode = Body<'/v1/episodes/{id}', 'patch'>;
export type BookInjection = Body<'/v1/injections', 'post'>;
export type RecordOutcome = Body<'/v1/injections/{id}/outcome', 'put'>;
export type IssueKey = Body<'/v1/api-keys', 'post'>;
export type ApiKeyList = Ok<'/v1/api-keys', 'get'>;
export type ApiKey = ApiKeyList['items'][number];
export type IssuedKey = Ok<'/v1/api-keys', 'post'>;

export type InjectionStatus = Injection['status'];
export type Side = Injection['side'];
export type Approach = Injection['approach'];
export type Region = Episode['region'];
export type Severity = Episode['severity'];
export type Sign = Episode['neurologicalSigns'][number];
export type Therapy = Episode['therapies'][number];
