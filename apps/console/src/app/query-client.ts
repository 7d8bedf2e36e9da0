import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/errors';

/** The console's server-state cache, one per tab (route loaders prefetch into it). */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A refusal (4xx) will not change by asking again; a network or server failure may.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});
