import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api.ts';

// Client mistakes (4xx) are final; a shop that is briefly away (0, 5xx) is asked again twice.
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (failures, err) => failures < 2 && (!(err instanceof ApiError) || err.status === 0 || err.status >= 500),
    },
  },
});
