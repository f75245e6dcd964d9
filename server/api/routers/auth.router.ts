import { authenticateCustomer } from "@/server/retail/customers/authenticate-customer";
import { signUpCustomer } from "@/server/retail/customers/sign-up-customer";
import { publicProcedure, router } from "../trpc";
import { signInInput, signUpInput } from "./auth.schema";

export const authRouter = router({
  /** Opens an account and signs it in. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const customer = await signUpCustomer(input);
    await ctx.session.signIn(customer.id);
    return customer;
  }),

  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const customer = await authenticateCustomer(input);
    await ctx.session.signIn(customer.id);
    return customer;
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    await ctx.session.signOut();
    return { signedOut: true };
  }),

  /** The signed-in customer, or null for a visitor. */
  me: publicProcedure.query(({ ctx }) => ctx.session.customer()),
});
