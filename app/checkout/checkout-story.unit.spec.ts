import { describe, expect, it } from "vitest";
import { checkoutStory, isFinished } from "./checkout-story";

type Step = Parameters<typeof checkoutStory>[0]["steps"][number];
type StepStatus = Step["status"];

const action = (step: string, status: StepStatus, attempts = 1): Step => ({ step, phase: "action", status, attempts });
const undo = (step: string, status: StepStatus): Step => ({ step, phase: "compensation", status, attempts: 1 });

type Status = Parameters<typeof checkoutStory>[0];

/** A checkout of one Classic Unicorn that uses no points, unless told otherwise; paid = price − discount. */
function checkout(overrides: Partial<Status> = {}): Status {
  const amountCents = overrides.amountCents ?? 12_000;
  const discountCents = overrides.discountCents ?? 0;
  return {
    status: "running",
    steps: [],
    productName: "Classic Unicorn",
    quantity: 1,
    amountCents,
    pointsRequested: 0,
    pointsUsed: 0,
    discountCents,
    paidCents: amountCents - discountCents,
    pointsGivenBack: 0,
    refundedCents: 0,
    ...overrides,
  };
}

const stateTexts = (story: ReturnType<typeof checkoutStory>) => story.steps.map((item) => `${item.label}: ${item.stateText}`);

describe("checkoutStory while the checkout runs", () => {
  it("shows the first step in progress before any step has been recorded", () => {
    const story = checkoutStory(checkout());
    expect(story.outcome).toBe("in-progress");
    expect(story.title).toBe("Placing your order…");
    expect(story.message).toBe("Reserving your unicorn…");
    expect(stateTexts(story)).toEqual(["Reserved: In progress", "Paid: Waiting", "Confirmed: Waiting"]);
    expect(story.doneCount).toBe(0);
  });

  it("moves on to paying once the unicorn is reserved, even before the next step is recorded", () => {
    const story = checkoutStory(checkout({ steps: [action("reserve-stock", "succeeded")] }));
    expect(story.message).toBe("Paying $120.00 from your wallet…");
    expect(stateTexts(story)).toEqual(["Reserved: Done", "Paid: In progress", "Confirmed: Waiting"]);
    expect(story.doneCount).toBe(1);
  });

  it("says when a step is being retried", () => {
    const story = checkoutStory(
      checkout({ steps: [action("reserve-stock", "succeeded"), action("debit-wallet", "succeeded"), action("complete-order", "retrying", 2)] }),
    );
    expect(story.message).toBe("Confirming your order… This is taking a little longer than usual; we're trying again.");
    expect(story.steps[2]).toMatchObject({ state: "retrying", stateText: "Retrying" });
  });

  it("counts several unicorns", () => {
    expect(checkoutStory(checkout({ quantity: 3, amountCents: 36_000 })).message).toBe("Reserving your 3 unicorns…");
  });
});

describe("checkoutStory when the order is confirmed", () => {
  it("says so, with every step done", () => {
    const story = checkoutStory(
      checkout({
        status: "completed",
        steps: [action("reserve-stock", "succeeded"), action("debit-wallet", "succeeded"), action("complete-order", "succeeded")],
      }),
    );
    expect(story.outcome).toBe("confirmed");
    expect(story.title).toBe("Order confirmed");
    expect(story.message).toBe("The Classic Unicorn is yours. We took $120.00 from your wallet.");
    expect(stateTexts(story)).toEqual(["Reserved: Done", "Paid: Done", "Confirmed: Done"]);
    expect(story.doneCount).toBe(3);
  });

  it("counts several unicorns", () => {
    const story = checkoutStory(checkout({ status: "completed", quantity: 2, amountCents: 24_000 }));
    expect(story.message).toBe("2 × Classic Unicorn are yours. We took $240.00 from your wallet.");
  });
});

describe("checkoutStory after a failure", () => {
  it("a short wallet: the unicorn was released and nothing was charged", () => {
    const story = checkoutStory(
      checkout({
        status: "compensated",
        failureReason: "Your wallet was $30.00 short.",
        steps: [action("reserve-stock", "succeeded"), action("debit-wallet", "failed"), undo("reserve-stock", "succeeded")],
      }),
    );
    expect(story.outcome).toBe("failed");
    expect(story.title).toBe("Your order didn't go through");
    expect(story.message).toBe("Your wallet was $30.00 short. We released your unicorn and nothing was charged.");
    expect(stateTexts(story)).toEqual(["Reserved: Released", "Paid: Failed", "Confirmed: Not started"]);
    expect(story.suggestTopUp).toBe(true);
  });

  it("a failure after paying: the money was refunded and the unicorn released", () => {
    const story = checkoutStory(
      checkout({
        status: "compensated",
        failureReason: "complete-order kept failing after 3 attempts: connection reset",
        steps: [
          action("reserve-stock", "succeeded"),
          action("debit-wallet", "succeeded"),
          action("complete-order", "failed", 3),
          undo("debit-wallet", "succeeded"),
          undo("reserve-stock", "succeeded"),
        ],
      }),
    );
    expect(story.message).toBe("We couldn't confirm your order. We refunded $120.00 to your wallet and released your unicorn.");
    expect(stateTexts(story)).toEqual(["Reserved: Released", "Paid: Refunded", "Confirmed: Failed"]);
    expect(story.suggestTopUp).toBe(false);
  });

  it("sold out during reservation: nothing to undo, nothing charged", () => {
    const story = checkoutStory(
      checkout({
        status: "compensated",
        failureReason: "Sorry, the Classic Unicorn sold out before we could reserve yours.",
        steps: [action("reserve-stock", "failed")],
      }),
    );
    expect(story.message).toBe("Sorry, the Classic Unicorn sold out before we could reserve yours. Nothing was charged.");
    expect(stateTexts(story)).toEqual(["Reserved: Failed", "Paid: Not started", "Confirmed: Not started"]);
  });

  it("an expired reservation: released, several unicorns", () => {
    const story = checkoutStory(
      checkout({
        status: "compensated",
        quantity: 2,
        amountCents: 24_000,
        failureReason: "The checkout was not paid in time, so the reservation expired.",
        steps: [action("reserve-stock", "succeeded"), action("debit-wallet", "skipped"), undo("reserve-stock", "succeeded")],
      }),
    );
    expect(story.message).toBe(
      "The checkout was not paid in time, so the reservation expired. We released your 2 unicorns and nothing was charged.",
    );
    expect(story.steps[1]).toMatchObject({ state: "failed", stateText: "Stopped" });
  });

  it("never shows the engine's technical words: an injected fault becomes what the step was doing", () => {
    const story = checkoutStory(
      checkout({
        status: "compensated",
        failureReason: "Fault injected at reserve-stock (test/demo mode)",
        steps: [action("reserve-stock", "failed")],
      }),
    );
    expect(story.message).toBe("We couldn't reserve your unicorn. Nothing was charged.");
  });

  it("while compensating: says what went wrong and that it is being put back, with the step being undone", () => {
    const story = checkoutStory(
      checkout({
        status: "compensating",
        failureReason: "Your wallet was $30.00 short.",
        steps: [action("reserve-stock", "succeeded"), action("debit-wallet", "failed"), undo("reserve-stock", "running")],
      }),
    );
    expect(story.outcome).toBe("undoing");
    expect(story.message).toBe("Your wallet was $30.00 short. We're putting everything back as it was…");
    expect(stateTexts(story)).toEqual(["Reserved: Releasing", "Paid: Failed", "Confirmed: Not started"]);
  });

  it("needs attention after paying: honest about the money, and that the shop team has it", () => {
    const story = checkoutStory(
      checkout({
        status: "needs_attention",
        failureReason: "complete-order kept failing after 3 attempts: boom",
        steps: [
          action("reserve-stock", "succeeded"),
          action("debit-wallet", "succeeded"),
          action("complete-order", "failed", 3),
          undo("debit-wallet", "failed"),
        ],
      }),
    );
    expect(story.outcome).toBe("needs-attention");
    expect(story.title).toBe("Our team is sorting out your order");
    expect(story.message).toBe(
      "We couldn't confirm your order. We couldn't put everything back automatically, so your checkout is now with our " +
        "shop team, who are fixing it by hand. You don't need to do anything. We took $120.00 from your wallet; if your " +
        "order can't be completed, it will be refunded.",
    );
    expect(stateTexts(story)).toEqual(["Reserved: Done", "Paid: Couldn't undo", "Confirmed: Failed"]);
  });

  it("needs attention before paying: nothing was charged", () => {
    const story = checkoutStory(
      checkout({
        status: "needs_attention",
        failureReason: "Your wallet was $30.00 short.",
        steps: [action("reserve-stock", "succeeded"), action("debit-wallet", "failed"), undo("reserve-stock", "failed")],
      }),
    );
    expect(story.message).toMatch(/^Your wallet was \$30\.00 short\. .*shop team.* Nothing was charged\.$/);
  });
});

describe("checkoutStory with points (Pat: $120.00, 250 points take $12.50 off)", () => {
  const pat = (overrides: Partial<Status>) =>
    checkout({ pointsRequested: 250, ...overrides });
  const redeemed = { pointsUsed: 250, discountCents: 1_250 };
  const paidWithPointsNotConfirmed = [
    action("reserve-stock", "succeeded"),
    action("redeem-points", "succeeded"),
    action("debit-wallet", "succeeded"),
    action("complete-order", "failed", 3),
  ];

  it("shows the points step only in a checkout that uses points", () => {
    expect(stateTexts(checkoutStory(checkout()))).toEqual(["Reserved: In progress", "Paid: Waiting", "Confirmed: Waiting"]);
    expect(stateTexts(checkoutStory(pat({})))).toEqual([
      "Reserved: In progress",
      "Points used: Waiting",
      "Paid: Waiting",
      "Confirmed: Waiting",
    ]);
  });

  it("says it is using the points while Loyalty redeems them, then pays what is left", () => {
    const using = checkoutStory(pat({ steps: [action("reserve-stock", "succeeded"), action("redeem-points", "running")] }));
    expect(using.message).toBe("Using your 250 points…");
    expect(using.steps[1]).toMatchObject({ state: "in-progress", stateText: "In progress" });
    expect(using.doneCount).toBe(1);

    const paying = checkoutStory(
      pat({ ...redeemed, steps: [action("reserve-stock", "succeeded"), action("redeem-points", "succeeded")] }),
    );
    expect(paying.message).toBe("Paying $107.50 from your wallet…");
    expect(paying.doneCount).toBe(2);
  });

  it("confirmed: says what the points took off and what the wallet paid", () => {
    const story = checkoutStory(
      pat({
        ...redeemed,
        status: "completed",
        steps: ["reserve-stock", "redeem-points", "debit-wallet", "complete-order"].map((step) => action(step, "succeeded")),
      }),
    );
    expect(story.message).toBe("The Classic Unicorn is yours. Your 250 points took $12.50 off, and we took $107.50 from your wallet.");
    expect(stateTexts(story)).toEqual(["Reserved: Done", "Points used: Done", "Paid: Done", "Confirmed: Done"]);
    expect(story.doneCount).toBe(4);
    expect(story.pointsGivenBack).toBe(false);
  });

  it("a short wallet after using points: the points are given back, visibly, with the unicorn", () => {
    const story = checkoutStory(
      pat({
        // Once given back, the status no longer counts the points as used, and says how many came back.
        status: "compensated",
        pointsGivenBack: 250,
        failureReason: "Your wallet was $17.50 short.",
        steps: [
          action("reserve-stock", "succeeded"),
          action("redeem-points", "succeeded"),
          action("debit-wallet", "failed"),
          undo("redeem-points", "succeeded"),
          undo("reserve-stock", "succeeded"),
        ],
      }),
    );
    expect(story.message).toBe(
      "Your wallet was $17.50 short. We gave back your 250 points, released your unicorn and nothing was charged.",
    );
    expect(stateTexts(story)).toEqual(["Reserved: Released", "Points used: Points given back", "Paid: Failed", "Confirmed: Not started"]);
    expect(story.pointsGivenBack).toBe(true);
    expect(story.suggestTopUp).toBe(true);
  });

  it("a failure after paying with points: refunds what the wallet paid and gives the points back", () => {
    const steps = [
      ...paidWithPointsNotConfirmed,
      undo("debit-wallet", "succeeded"),
      undo("redeem-points", "succeeded"),
      undo("reserve-stock", "succeeded"),
    ];
    const failureReason = "complete-order kept failing after 3 attempts: boom";
    // The points no longer count as used, but the status keeps what was refunded and given back.
    expect(checkoutStory(pat({ status: "compensated", failureReason, steps, pointsGivenBack: 250, refundedCents: 10_750 })).message).toBe(
      "We couldn't confirm your order. We refunded $107.50 to your wallet, gave back your 250 points and released your unicorn.",
    );
  });

  it("Loyalty never answered: no points were used, and nothing is said twice", () => {
    const story = checkoutStory(
      pat({
        status: "compensated",
        failureReason: "We couldn't reach our points service in time, so your points were not used and nothing was charged.",
        steps: [action("reserve-stock", "succeeded"), action("redeem-points", "failed"), undo("redeem-points", "succeeded"), undo("reserve-stock", "succeeded")],
      }),
    );
    expect(story.message).toBe(
      "We couldn't reach our points service in time, so your points were not used and nothing was charged. We released your unicorn.",
    );
    expect(story.pointsGivenBack).toBe(false);
  });

  it("Loyalty refused the points: says why in its words; nothing was used or charged", () => {
    const story = checkoutStory(
      pat({
        status: "compensated",
        failureReason: "You have 120 points; this order can use at most 100.",
        steps: [action("reserve-stock", "succeeded"), action("redeem-points", "failed"), undo("reserve-stock", "succeeded")],
      }),
    );
    expect(story.message).toBe("You have 120 points; this order can use at most 100. We released your unicorn and nothing was charged.");
    expect(stateTexts(story)).toEqual(["Reserved: Released", "Points used: Failed", "Paid: Not started", "Confirmed: Not started"]);
    expect(story.pointsGivenBack).toBe(false);
    expect(story.suggestTopUp).toBe(false);
  });

  it("needs attention with points still used: says they will be given back", () => {
    const story = checkoutStory(
      pat({
        ...redeemed,
        status: "needs_attention",
        failureReason: "complete-order kept failing after 3 attempts: boom",
        steps: [...paidWithPointsNotConfirmed, undo("debit-wallet", "failed")],
      }),
    );
    expect(story.message).toMatch(
      /We took \$107\.50 from your wallet; if your order can't be completed, it will be refunded\. The 250 points it used will be given back if it can't be completed\.$/,
    );
  });
});

describe("checkoutStory over time", () => {
  it("never says it is reserving once every step is done, while the checkout is still wrapping up", () => {
    const story = checkoutStory(
      checkout({ steps: [action("reserve-stock", "succeeded"), action("debit-wallet", "succeeded"), action("complete-order", "succeeded")] }),
    );
    expect(story.title).toBe("Placing your order…");
    expect(story.message).toBe("Confirming your order…");
    expect(story.doneCount).toBe(3);
  });

  it("a slow step says so, and that the shopper may leave", () => {
    const story = checkoutStory(checkout({ pointsRequested: 250, steps: [action("reserve-stock", "succeeded")] }), { slow: true });
    expect(story.message).toBe(
      "Using your 250 points… This is taking longer than usual — you can leave this page: your order carries on, and you'll find it in your orders.",
    );
  });

  it("a slow retry says both, once each", () => {
    const story = checkoutStory(checkout({ steps: [action("reserve-stock", "retrying", 2)] }), { slow: true });
    expect(story.message).toBe(
      "Reserving your unicorn… This is taking a little longer than usual; we're trying again. You can leave this page: your order carries on, and you'll find it in your orders.",
    );
  });

  it("slow putting back says the shop will finish it", () => {
    const story = checkoutStory(
      checkout({
        status: "compensating",
        failureReason: "Your wallet was $30.00 short.",
        steps: [action("reserve-stock", "succeeded"), action("debit-wallet", "failed"), undo("reserve-stock", "running")],
      }),
      { slow: true },
    );
    expect(story.message).toBe(
      "Your wallet was $30.00 short. We're putting everything back as it was… This is taking longer than usual — you can leave this page: we'll finish putting everything back, and you'll find it in your orders.",
    );
  });
});

describe("isFinished", () => {
  it.each([
    ["running", false],
    ["compensating", false],
    ["completed", true],
    ["compensated", true],
    ["needs_attention", true],
  ] as const)("%s → %s", (status, finished) => {
    expect(isFinished({ status })).toBe(finished);
  });
});
