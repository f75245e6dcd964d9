import path from "node:path";

/**
 * What a function's self time in a CPU profile is charged to, for "where does the CPU of a request go": the npm
 * package its code came from (react-dom and React's server renderer apart from the rest of next, which ships them
 * precompiled inside itself), Node's own JavaScript, the app's own code, V8's garbage collector and what V8 does
 * outside JavaScript. Pure: `source` is the original source of the function (after source maps; see cpu-profile.ts).
 */

export const APP_CODE = "app code";
export const GC = "GC";
export const PROGRAM = "V8/native (program)";
export const NODE_INTERNALS = "node internals";
export const NATIVE = "native functions";

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
  if (source === "") return NATIVE;
  if (source.startsWith("node:")) return NODE_INTERNALS;
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
  if (name !== "next") return name;
  const compiled = /^dist\/compiled\/((?:@[^/]+\/)?[^/]+)/.exec(rest);
  return (compiled && COMPILED_INSIDE_NEXT[compiled[1] as string]) ?? "next";
}
