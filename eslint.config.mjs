import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `const { secret: _secret, ...rest } = row` is how we drop a field; allow it.
      "@typescript-eslint/no-unused-vars": ["warn", { ignoreRestSiblings: true, argsIgnorePattern: "^_" }],
    },
  },
  { ignores: [".next/**", ".next-e2e*/**", ".next-bench/**", "server/generated/**", "playwright-report/**", "test-results/**", "next-env.d.ts"] },
];
export default config;
