"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState } from "react";
import { messageOf } from "@/app/_lib/api-errors";

/** What an operator action answers: done, or why there was nothing to do. */
export type ActionOutcome = { done: boolean; message: string };

/**
 * The answer an operator's actions share on one panel (shown by ActionMessage), and the mutation options that keep
 * it: the outcome or the error's message, then what `refresh` names asked again, whichever way the action went.
 */
export function useActionAnswer(refresh: QueryKey) {
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState<{ outcome?: ActionOutcome; error?: string }>({});
  const options = {
    onSuccess: (outcome: ActionOutcome) => setAnswer({ outcome }),
    onError: (error: unknown) => setAnswer({ error: messageOf(error) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: refresh }),
  };
  return { answer, options };
}
