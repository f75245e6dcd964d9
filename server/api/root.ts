import { adminRouter } from "./routers/admin.router";
import { authRouter } from "./routers/auth.router";
import { catalogRouter } from "./routers/catalog.router";
import { checkoutRouter } from "./routers/checkout.router";
import { loyaltyRouter } from "./routers/loyalty.router";
import { ordersRouter } from "./routers/orders.router";
import { walletRouter } from "./routers/wallet.router";
import { createCallerFactory, router } from "./trpc";

/** The shop's public API. Procedure names and shapes are a contract with outside clients: add, don't rename. */
export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  wallet: walletRouter,
  checkout: checkoutRouter,
  orders: ordersRouter,
  loyalty: loyaltyRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with the same validation and errors as over HTTP. */
export const createCaller = createCallerFactory(appRouter);
