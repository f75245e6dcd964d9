import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { customerProfileSelect, normaliseEmail, type CustomerProfile } from "./customer";
import { hashPassword } from "./passwords";

/** Opens an account and its (empty) wallet together: a customer never exists without a wallet. */
export async function signUpCustomer(options: {
  email: string;
  name: string;
  password: string;
}): Promise<CustomerProfile> {
  const email = normaliseEmail(options.email);
  const passwordHash = await hashPassword(options.password);
  try {
    return await db.customer.create({
      data: { email, name: options.name.trim(), passwordHash, wallet: { create: {} } },
      select: customerProfileSelect,
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("EMAIL_TAKEN", "An account with this email already exists. Sign in instead.", {
        field: "email",
      });
    }
    throw error;
  }
}
