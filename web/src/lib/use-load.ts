// Loads data for a view through the query cache: `key` names what is loaded (null: nothing yet),
// `reload()` fetches again. Answers to an older key never show for a newer one, and during a reload of
// the same key the earlier data stays on screen instead of flashing a spinner.
import { useQuery } from '@tanstack/react-query';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  /** True until the current key has an answer, and while it is fetched again. */
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(key: readonly unknown[] | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const q = useQuery({
    queryKey: key ?? ['nothing'],
    queryFn: ({ signal }) => load(signal),
    enabled: key !== null,
  });
  return {
    data: key === null ? undefined : q.data,
    error: key === null ? undefined : (q.error ?? undefined),
    loading: key !== null && (q.isPending || q.isFetching),
    reload: () => void q.refetch(),
  };
}
