import type { ProductDetail } from "@/server/retail/catalog/product";

/**
 * The Cyber Monday starting state: what `npm run db:seed` creates and `npm run db:reset` returns to. Each product as
 * the shop front shows it, with the stock it starts the day with.
 */
export type DemoProduct = Omit<ProductDetail, "id" | "available"> & { stock: number };

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    slug: "classic-unicorn",
    name: "Classic Unicorn",
    description:
      "The one everyone queues for: pearl-white coat, spiral horn, a mane in every pastel there is. Half price this Cyber Monday, and only five in the stable.",
    colour: "#f0abfc",
    listPriceCents: 24_000,
    salePriceCents: 12_000,
    // The sale is for shoppers, not for bots: one Classic Unicorn per customer (held or bought).
    maxPerCustomer: 1,
    stock: 5,
  },
  {
    slug: "pocket-unicorn",
    name: "Pocket Unicorn",
    description: "Fits in a coat pocket, eats very little, and is delighted by everything. A first unicorn.",
    colour: "#a5f3fc",
    listPriceCents: 3_000,
    salePriceCents: 1_999,
    maxPerCustomer: null,
    stock: 40,
  },
  {
    slug: "rainbow-unicorn",
    name: "Rainbow Unicorn",
    description: "Leaves a faint rainbow wherever it trots. Gentle with children, stubborn about puddles.",
    colour: "#fde68a",
    listPriceCents: 36_000,
    salePriceCents: 24_000,
    maxPerCustomer: null,
    stock: 12,
  },
  {
    slug: "celestial-unicorn",
    name: "Celestial Unicorn",
    description: "Born on a night of shooting stars; its horn glows softly after dark. For the serious collector.",
    colour: "#c4b5fd",
    listPriceCents: 180_000,
    salePriceCents: 135_000,
    maxPerCustomer: null,
    stock: 3,
  },
  {
    slug: "golden-unicorn",
    name: "Golden Unicorn",
    description: "The rarest of all. The last one left this morning; we are waiting on the next foal.",
    colour: "#fcd34d",
    listPriceCents: 99_900,
    salePriceCents: 79_900,
    maxPerCustomer: null,
    stock: 0,
  },
];

export type DemoCustomer = {
  email: string;
  name: string;
  password: string;
  role: "customer" | "admin" | "support";
  openingBalanceCents: number;
  /** Loyalty points credited at seeding that expire soon, so the points dashboard has something to warn about. */
  welcomeBackGift?: { points: number; reason: string; expiresInDays: number };
};

/** Demo logins, listed in the README. Never seeded outside a demo or test database. */
export const DEMO_CUSTOMERS: DemoCustomer[] = [
  // Rich enough for the Classic Unicorn several times over.
  { email: "ada@unicorn.test", name: "Ada Lovelace", password: "cybermonday", role: "customer", openingBalanceCents: 100_000 },
  // $90.00: $30.00 short of the Classic Unicorn's $120.00.
  // Also 250 loyalty points that expire 10 days after seeding: "expiring soon" on the points dashboard.
  {
    email: "pat@unicorn.test",
    name: "Pat Penny",
    password: "cybermonday",
    role: "customer",
    openingBalanceCents: 9_000,
    welcomeBackGift: { points: 250, reason: "Welcome back gift", expiresInDays: 10 },
  },
  { email: "admin@unicorn.test", name: "Uma Operator", password: "cybermonday", role: "admin", openingBalanceCents: 0 },
  { email: "support@unicorn.test", name: "Sam Support", password: "cybermonday", role: "support", openingBalanceCents: 0 },
];
