// Helpers for component tests: a fake API answering by method and path, and a signed-in tree.
import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from './lib/query';
import { vi } from 'vitest';
import { ApiClient } from './api/client';
import type { Me } from './api/types';
import { AuthContext } from './auth/auth-context';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}
type Handler = (call: Call) => { status?: number; body?: unknown; type?: string } | undefined;

/** Replaces fetch: each handler may answer a call; an unanswered call fails the test loudly. */
export function fakeApi(handler: Handler) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: Request | string, init: RequestInit = {}) => {
    const req = typeof input === 'string' ? new Request(new URL(input, 'http://localhost'), init) : input;
    const url = new URL(req.url);
    const text = await req.text();
    const call: Call = {
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries([...req.headers.entries()].map(([k, v]) => [k.toLowerCase(), v])),
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    const answer = handler(call);
    if (!answer) throw new Error(`unexpected call ${call.method} ${call.path}`);
    const status = answer.status ?? 200;
    const type = answer.type ?? (status >= 400 ? 'application/problem+json' : 'application/json');
    const out = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
    return new Response(status === 204 ? null : out, { status, headers: { 'content-type': type } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls };
}

export const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) => ({
  status,
  body: { type: 'about:blank', title: 'Problem', status, code, detail, ...extra },
});

/** What GET /v1/me answers for each role (the server derives it from its access policy). */
const WRITE = [
  'POST /v1/patients',
  'POST /v1/injections',
  'POST /v1/injections/:id/reschedule',
  'POST /v1/injections/:id/cancel',
  'POST /v1/injections/:id/no-show',
];
const CLINICAL = [
  'POST /v1/injections/:id/complete',
  'PUT /v1/injections/:id/outcome',
  'POST /v1/patients/:id/episodes',
  'PATCH /v1/episodes/:id',
  'POST /v1/episodes/:id/close',
  'POST /v1/episodes/:id/red-flag-clearance',
  'POST /v1/episodes/:id/consultations',
];
const AUDIT = ['GET /v1/reports/daily'];
export const MAY: Record<Me['role'], string[]> = {
  front_desk: WRITE,
  clinician: [...WRITE, ...CLINICAL],
  auditor: AUDIT,
  admin: [...WRITE, ...CLINICAL, ...AUDIT, 'POST /v1/api-keys', 'GET /v1/api-keys', 'DELETE /v1/api-keys/:id'],
};

export const meFor = (role: Me['role']): Me => ({
  id: '00000000-0000-4000-8000-000000000001',
  name: `test ${role}`,
  role,
  timeZone: 'America/New_York',
  may: MAY[role],
});

export function SignedIn({ role, children }: { role: Me['role']; children: ReactNode }) {
  return (
    <QueryClientProvider client={createQueryClient({ retry: false })}>
      <AuthContext.Provider value={{ me: meFor(role), api: new ApiClient('test-key-123456'), signOut: () => undefined }}>
        {children}
      </AuthContext.Provider>
    </QueryClientProvider>
  );
}
