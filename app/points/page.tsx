import type { Metadata } from "next";
import { PointsDashboard } from "./_components/points-dashboard";

export const metadata: Metadata = { title: "Your points" };

/**
 * The signed-in customer's loyalty points: balance, how it moved, the lots and when they expire, the history. The page
 * is the same for everyone and prerendered; the dashboard asks the API for this customer's points (and sends a visitor
 * to sign in). The shop's web server sends a visitor with no session straight to sign in (server/http/shop-server.ts).
 */
export default function PointsPage() {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your points</h1>
      <PointsDashboard />
    </div>
  );
}
