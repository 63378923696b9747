// One query cache per signed-in tab (TanStack Query): views read through it, and a change invalidates
// what it touched instead of each view reloading by hand.
import { QueryClient, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/problem';

export function createQueryClient(opts: { retry?: boolean } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // A refusal (4xx) will not change on its own; a lost connection may.
        retry: opts.retry === false ? false : (count, err) => count < 1 && !(err instanceof ApiError && err.status < 500),
      },
    },
  });
}

/** Query keys, one place, so a change can name what it made stale. */
export const keys = {
  patient: (id: string) => ['patient', id] as const,
  history: (id: string) => ['history', id] as const,
  eligibility: (id: string, on: string) => ['eligibility', id, on] as const,
  schedule: (date: string) => ['schedule', date] as const,
  patients: (q: string) => ['patients', q] as const,
  report: (date: string) => ['report', date] as const,
  apiKeys: () => ['api-keys'] as const,
};

/** After a change to a patient's injections or episode: everything that shows them is stale. */
export function useAfterChange(): (patientId?: string) => Promise<void> {
  const qc = useQueryClient();
  return async (patientId) => {
    const stale = [['schedule'], ['report']] as unknown[][];
    if (patientId) stale.push(['patient', patientId], ['history', patientId], ['eligibility', patientId]);
    else stale.push(['patient'], ['history'], ['eligibility']);
    await Promise.all(stale.map((queryKey) => qc.invalidateQueries({ queryKey })));
  };
}
