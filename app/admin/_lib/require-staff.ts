import "server-only";
import { forbidden, redirect } from "next/navigation";
import { signInPathFor } from "@/app/_lib/safe-redirect";
import { getSignedInCustomer } from "@/app/_trpc/server";

export type Staff = { id: string; email: string; name: string; role: "admin" | "support"; canAct: boolean };

/**
 * The layout's part of the guard: a customer gets the 403 page, staff get the monitor's frame, a visitor null. A layout
 * cannot know the address asked for, so sending a visitor to sign in (and back) is each page's part: `requireStaff`.
 */
export async function staffOrVisitor(): Promise<Staff | null> {
  const customer = await getSignedInCustomer();
  if (!customer) return null;
  if (customer.role !== "admin" && customer.role !== "support") forbidden();
  return { id: customer.id, email: customer.email, name: customer.name, role: customer.role, canAct: customer.role === "admin" };
}

/**
 * Every admin page's guard: a visitor is sent to sign in and back to `path`, a customer gets the 403 page. Admins may
 * act; support staff may only look. The API checks the same on every call.
 */
export async function requireStaff(path: string): Promise<Staff> {
  const staff = await staffOrVisitor();
  if (!staff) redirect(signInPathFor(path));
  return staff;
}
