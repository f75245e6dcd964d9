"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { MAX_BATCH_CALLS } from "@/server/api/trpc-request-rules";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

const API_URL = "/api/trpc";

/** TanStack Query + the tRPC client for client components: subscriptions over SSE, everything else batched. */
export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Subscriptions (live stock, checkout progress) as server-sent events; everything else batched over HTTP.
        splitLink({
          condition: (operation) => operation.type === "subscription",
          // The browser's EventSource sends the session cookie itself (same origin).
          true: httpSubscriptionLink({ url: API_URL, transformer: superjson }),
          // The API takes at most MAX_BATCH_CALLS calls a request (server/api/trpc-request-rules.ts).
          false: httpBatchLink({ url: API_URL, transformer: superjson, maxItems: MAX_BATCH_CALLS }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
