import { DomainError } from "@/server/errors";
import { isUniqueViolation, sql, sqlPool } from "@/server/sql";
import { CUSTOMER_PROFILE_COLUMNS, normaliseEmail, type CustomerProfile } from "./customer";
import { refuseCommonPassword } from "./password-rules";
import { hashPassword } from "./passwords";

/** Opens an account and its (empty) wallet together, in one statement: a customer never exists without a wallet. */
export async function signUpCustomer(options: {
  email: string;
  name: string;
  password: string;
}): Promise<CustomerProfile> {
  refuseCommonPassword({ password: options.password, field: "password" });
  const email = normaliseEmail(options.email);
  const passwordHash = await hashPassword(options.password);
  try {
    const [customer] = await sqlPool.rows<CustomerProfile>(sql`
      WITH customer AS (
        INSERT INTO customers (email, name, password_hash) VALUES (${email}, ${options.name.trim()}, ${passwordHash})
        RETURNING ${CUSTOMER_PROFILE_COLUMNS}
      ), wallet AS (
        INSERT INTO wallets (customer_id) SELECT id FROM customer
      )
      SELECT * FROM customer`);
    return customer!;
  } catch (error) {
    if (isUniqueViolation(error, "customers_email_key")) {
      throw new DomainError("EMAIL_TAKEN", "An account with this email already exists. Sign in instead.", {
        field: "email",
      });
    }
    throw error;
  }
}
