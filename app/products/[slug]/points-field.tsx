import { TextField } from "@/app/_components/text-field";
import { formatPoints } from "@/server/loyalty/points/format-points";
import type { PointsChoice } from "./use-points-choice";

/**
 * "Points to use" with what the customer has and the most this order can use, and a button to use that most. Shown
 * only to a signed-in customer with points; one whose points Loyalty cannot quote right now is told, and buys without.
 */
export function PointsField({ choice, disabled }: { choice: PointsChoice; disabled: boolean }) {
  if (choice.quoteFailed && choice.availablePoints > 0) {
    return (
      <p className="text-sm text-gray-600" data-testid="points-unavailable">
        We can&apos;t use points on this order right now. You can still buy it from your wallet.
      </p>
    );
  }
  if (!choice.offered) return null;
  const most = choice.maxPoints;
  const hint =
    most === undefined
      ? `You have ${formatPoints(choice.availablePoints)}.`
      : `You have ${formatPoints(choice.availablePoints)}; this order can use up to ${formatPoints(most)}.`;
  return (
    <div className="space-y-2" data-testid="points-choice">
      <TextField
        label="Points to use"
        name="points"
        inputMode="numeric"
        placeholder="0"
        autoComplete="off"
        value={choice.text}
        disabled={disabled}
        onChange={(event) => choice.setText(event.target.value)}
        hint={hint}
        error={choice.error}
      />
      {most !== undefined && most > 0 && choice.pointsToUse !== most && (
        <button
          type="button"
          disabled={disabled}
          onClick={() => choice.setText(String(most))}
          className="rounded-full border border-gray-300 px-3 py-1 text-sm font-medium hover:bg-gray-50"
        >
          Use {formatPoints(most)}
        </button>
      )}
    </div>
  );
}
