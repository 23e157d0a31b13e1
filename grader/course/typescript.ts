import { createRequire } from "node:module";
import type TypeScript from "typescript";

/**
 * The TypeScript compiler, loaded with require: importing its 9 MB of CommonJS
 * as ESM makes Node scan it for exports first, which costs every command that
 * lists suites or typechecks about half a second.
 */
export const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
