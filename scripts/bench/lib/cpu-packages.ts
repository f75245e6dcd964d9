import path from "node:path";

/**
 * What a function's self time in a CPU profile is charged to, for "where does the CPU of a request go": the npm
 * package its code came from (react-dom and React's server renderer apart from the rest of next, which ships them
 * precompiled inside itself; the packages a package is made of as that package), Node's own JavaScript, the app's own
 * code, V8's garbage collector and what V8 does outside JavaScript. Pure: `source` is the original source of the
 * function (after source maps; see cpu-profile.ts).
 */

export const APP_CODE = "app code";
export const GC = "GC";
export const PROGRAM = "V8/native (program)";
/** Node's own JavaScript, and native functions (V8's builtins, Node's bindings: writev, stat…) with no script. */
export const NODE_INTERNALS = "node internals";

/** What a profile summary may charge to the caller instead (cpu-profile.ts's chargedToCaller). */
export const NODE_GROUPS: ReadonlySet<string> = new Set([NODE_INTERNALS]);

/** Packages that are parts of another one here: their time is that package's (and every @prisma/… is Prisma's client). */
const PART_OF: Record<string, string> = {
  "pg-pool": "pg",
  "pg-protocol": "pg",
  "pg-types": "pg",
  "pg-connection-string": "pg",
  "copy-anything": "superjson",
};

/** The packages that next bundles into next/dist/compiled, shown by their own names. */
const COMPILED_INSIDE_NEXT: Record<string, string> = {
  "react-dom": "react-dom",
  "react-server-dom-turbopack": "react-server-dom",
  "react-server-dom-webpack": "react-server-dom",
  react: "react",
  scheduler: "react",
};

/**
 * The group of a function's self time, or null for time that is no work: `(idle)` and the profile's `(root)`.
 * `appDir` is where the app ran from; its code is the app's own unless it is under node_modules or a build folder.
 */
export function packageOf(frame: { functionName: string; source: string }, appDir: string): string | null {
  switch (frame.functionName) {
    case "(idle)":
    case "(root)":
      return null;
    case "(garbage collector)":
      return GC;
    case "(program)":
      return PROGRAM;
  }
  const source = frame.source;
  if (source === "" || source.startsWith("node:")) return NODE_INTERNALS;
  if (source.startsWith("wasm://")) return "wasm";
  // next's precompiled runtime maps back to `webpack://next/./dist/compiled/…`, `webpack://next/./src/…`.
  const webpack = /^webpack:\/\/((?:@[^/]+\/)?[^/]+)\/(?:\.\/)?(.*)$/.exec(source);
  if (webpack) return packageAt(webpack[1] as string, webpack[2] as string);
  if (source.includes("[turbopack]")) return "next";
  const modules = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\/?(.*)$/.exec(source);
  if (modules) return packageAt(modules[1] as string, modules[2] as string);
  const relative = path.relative(appDir, source);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return "other";
  // Code of a build folder that no source map led back to: Turbopack's runtime and glue.
  if (relative.startsWith(".next")) return "next";
  return APP_CODE;
}

/** A package, or for next a package it ships precompiled (`rest` is the path inside the package). */
function packageAt(name: string, rest: string): string {
  if (name.startsWith("@prisma/")) return "@prisma/client";
  if (name !== "next") return PART_OF[name] ?? name;
  const compiled = /^dist\/compiled\/((?:@[^/]+\/)?[^/]+)/.exec(rest);
  return (compiled && COMPILED_INSIDE_NEXT[compiled[1] as string]) ?? "next";
}
