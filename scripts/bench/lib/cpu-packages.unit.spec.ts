import { describe, expect, it } from "vitest";
import { APP_CODE, GC, NODE_INTERNALS, packageOf, PROGRAM } from "./cpu-packages";

const APP = "/tmp/bench-app";
const of = (source: string, functionName = "work") => packageOf({ functionName, source }, APP);

describe("packageOf", () => {
  it("leaves out idle time and the root, and names V8's own work", () => {
    expect(of("", "(idle)")).toBeNull();
    expect(of("", "(root)")).toBeNull();
    expect(of("", "(garbage collector)")).toBe(GC);
    expect(of("", "(program)")).toBe(PROGRAM);
  });

  it("names Node's own JavaScript, native functions (no script) and WebAssembly", () => {
    expect(of("node:internal/streams/writable")).toBe(NODE_INTERNALS);
    expect(of("", "writev")).toBe(NODE_INTERNALS);
    expect(of("wasm://wasm/0123abcd")).toBe("wasm");
  });

  it("names the package of code under node_modules, scoped or not, the innermost one when nested", () => {
    expect(of(`${APP}/node_modules/pg/lib/client.js`)).toBe("pg");
    expect(of(`${APP}/node_modules/@trpc/server/dist/index.mjs`)).toBe("@trpc/server");
    expect(of(`${APP}/node_modules/a/node_modules/superjson/dist/index.js`)).toBe("superjson");
  });

  it("charges the packages a package is made of to that package", () => {
    expect(of(`${APP}/node_modules/pg-protocol/dist/parser.js`)).toBe("pg");
    expect(of(`${APP}/node_modules/copy-anything/dist/index.js`)).toBe("superjson");
    expect(of(`${APP}/node_modules/@prisma/client-engine-runtime/dist/index.mjs`)).toBe("@prisma/client");
    expect(of(`${APP}/node_modules/@prisma/adapter-pg/dist/index.js`)).toBe("@prisma/client");
  });

  it("tells React's renderers apart from the rest of next, which ships them precompiled", () => {
    expect(of(`${APP}/node_modules/next/dist/server/base-server.js`)).toBe("next");
    expect(of(`${APP}/node_modules/next/dist/compiled/react-dom/cjs/react-dom-server.node.production.js`)).toBe("react-dom");
    expect(of("webpack://next/./dist/compiled/react-dom/cjs/react-dom-server.node.production.js")).toBe("react-dom");
    expect(of("webpack://next/./dist/compiled/react-server-dom-turbopack/cjs/server.node.production.js")).toBe("react-server-dom");
    expect(of("webpack://next/./dist/compiled/react/cjs/react.production.js")).toBe("react");
    expect(of("webpack://next/./dist/compiled/@edge-runtime/cookies/index.js")).toBe("next");
    expect(of("webpack://next/./src/server/app-render/app-render.tsx")).toBe("next");
    expect(of("turbopack:///[turbopack]/shared/runtime-utils.ts")).toBe("next");
  });

  it("charges the app's own sources to the app, and unmapped build output to next", () => {
    expect(of(`${APP}/server/retail/catalog/list-products.ts`)).toBe(APP_CODE);
    expect(of(`${APP}/app/points/page.tsx`)).toBe(APP_CODE);
    expect(of(`${APP}/.next-bench/server/chunks/ssr/[turbopack]_runtime.js`)).toBe("next");
    expect(of(`${APP}/.next-bench/server/chunks/ssr/[root-of-the-server]__0abc._.js`)).toBe("next");
    expect(of("/usr/lib/somewhere/else.js")).toBe("other");
  });
});
