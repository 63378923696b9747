// Helpers for component tests: a fake API answering by method and path, and a signed-in tree.
import type { ReactNode } from 'react';
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
  const fetchMock = vi.fn((input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://localhost');
    const call: Call = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const answer = handler(call);
    if (!answer) return Promise.reject(new Error(`unexpected call ${call.method} ${call.path}`));
    const status = answer.status ?? 200;
    const type = answer.type ?? (status >= 400 ? 'application/problem+json' : 'application/json');
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
    return Promise.resolve(new Response(text, { status, headers: { 'content-type': type } }));
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls };
}

export const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) => ({
  status,
  body: { type: 'about:blank', title: 'Problem', status, code, detail, ...extra },
});

export function SignedIn({ role, children }: { role: Me['role']; children: ReactNode }) {
  const me: Me = { id: '00000000-0000-4000-8000-000000000001', name: `test ${role}`, role };
  return (
    <AuthContext.Provider value={{ me, api: new ApiClient('test-key-123456'), signOut: () => undefined }}>{children}</AuthContext.Provider>
  );
}
