"use client";

import { useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import type { CheckoutStatus } from "@/server/retail/checkout/get-checkout-status";
import { isFinished } from "../checkout-story";

/** How often a running checkout is asked where it stands while its live stream is not working. */
const POLL_INTERVAL_MS = 500;

/**
 * How long the live stream may take to bring its first status before the page asks instead. It normally comes in
 * tens of milliseconds; after that, the stream's pings (every 2 s) keep tRPC's client sure it is alive.
 */
const FIRST_STATUS_WITHIN_MS = 3_000;

export type CheckoutStatusFeed = {
  status: CheckoutStatus;
  /** Neither the live stream nor asking works right now (the page says it is still trying). */
  outOfTouch: boolean;
};

/**
 * A checkout's status as it changes: pushed by `checkout.onStatus` (SSE) while that works, and asked for with
 * `checkout.status` every half second only while it does not (an error, a lost connection, or no first status in
 * time). Never both at once once the stream has proved itself, so a working stream means no polling at all.
 */
export function useCheckoutStatus(initialStatus: CheckoutStatus): CheckoutStatusFeed {
  const trpc = useTRPC();
  const input = { checkoutId: initialStatus.checkoutId };
  const finishedAtStart = isFinished(initialStatus);
  const [pushed, setPushed] = useState<Received | null>(null);
  const [waitedTooLong, setWaitedTooLong] = useState(false);

  const stream = useSubscription(
    trpc.checkout.onStatus.subscriptionOptions(input, {
      enabled: !finishedAtStart,
      onData: (event) => setPushed(received(event.data)),
    }),
  );
  useEffect(() => {
    if (finishedAtStart) return;
    const timer = setTimeout(() => setWaitedTooLong(true), FIRST_STATUS_WITHIN_MS);
    return () => clearTimeout(timer);
  }, [finishedAtStart]);

  // "pending" is tRPC's word for connected; a reconnect (with its error) shows as "connecting" again.
  const streamWorking = pushed !== null && stream.status === "pending";
  const streamFailed = stream.status === "error" || stream.error !== null;
  const finished = isFinished(pushed?.status ?? initialStatus);
  const poll = !finished && !streamWorking && (pushed !== null || streamFailed || waitedTooLong);

  const polled = useQuery(
    trpc.checkout.status.queryOptions(input, {
      initialData: initialStatus,
      enabled: poll,
      // Asked at once when falling back, then every half second until the checkout has finished.
      staleTime: 0,
      refetchInterval: (query) => (query.state.data && isFinished(query.state.data) ? false : POLL_INTERVAL_MS),
    }),
  );

  // While the stream works it is the truth; otherwise whichever of the two answered last.
  const usePushed = pushed !== null && (streamWorking || pushed.at >= polled.dataUpdatedAt);
  return {
    status: usePushed ? pushed.status : polled.data,
    outOfTouch: !streamWorking && polled.isError,
  };
}

/** A pushed status with when it arrived, to compare with when the last poll answered (`dataUpdatedAt`). */
type Received = { status: CheckoutStatus; at: number };

function received(status: CheckoutStatus): Received {
  return { status, at: Date.now() };
}
