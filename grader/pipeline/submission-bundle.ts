import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type TypeScript from "typescript";
import { ts } from "../course/typescript.ts";

const graderRoot = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
const courseRoot = path.dirname(graderRoot);

/** Where a relative import points once every source is an .mjs file. */
function rewriteSpecifier(specifier: string): string {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return specifier;
  return `${specifier.replace(/\.(?:[mc]?ts|[mc]?js)$/, "")}.mjs`;
}

/** Rewrites relative import specifiers, and collects every specifier for the import rule. */
function rewriteImports(specifiers: string[]): TypeScript.TransformerFactory<TypeScript.SourceFile> {
  return (context) => (file) => {
    const rewrite = (literal: TypeScript.StringLiteral) => {
      specifiers.push(literal.text);
      return context.factory.createStringLiteral(rewriteSpecifier(literal.text));
    };
    const visit = (node: TypeScript.Node): TypeScript.Node => {
      const specifier = (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier : null;
      if (specifier && ts.isImportDeclaration(node)) return context.factory.updateImportDeclaration(node, node.modifiers, node.importClause, rewrite(specifier), node.attributes);
      if (specifier && ts.isExportDeclaration(node)) {
        return context.factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, rewrite(specifier), node.attributes);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        return context.factory.updateCallExpression(node, node.expression, node.typeArguments, [rewrite(node.arguments[0]), ...node.arguments.slice(1)]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (ts.visitNode(file, visit) as TypeScript.SourceFile) ?? file;
  };
}

/** A module that fails to load with this message, in place of code that cannot run. */
const failingModule = (error: "Error" | "SyntaxError", message: string) => `throw new ${error}(${JSON.stringify(message)});\n`;

/**
 * Turns one TypeScript or JavaScript source into an ES module Node runs as
 * it is, with an inline source map so stack traces name the student's lines.
 * Type errors do not matter here. A syntax error, or an import of anything
 * but the module's own files and Node's built-ins, makes a module that fails
 * to load with a message naming the file (`shownAs`) and line.
 */
export function transpile(source: string, fileName: string, shownAs = fileName): string {
  const specifiers: string[] = [];
  const output = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      inlineSourceMap: true,
      inlineSources: true,
      allowJs: true,
      verbatimModuleSyntax: false,
      isolatedModules: true,
      useDefineForClassFields: true,
    },
    transformers: { after: [rewriteImports(specifiers)] },
  });
  const syntaxError = output.diagnostics?.find((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (syntaxError) {
    const where = syntaxError.file && syntaxError.start !== undefined ? syntaxError.file.getLineAndCharacterOfPosition(syntaxError.start) : null;
    const at = where ? `:${where.line + 1}:${where.character + 1}` : "";
    return failingModule("SyntaxError", `${shownAs}${at}: ${ts.flattenDiagnosticMessageText(syntaxError.messageText, " ")}`);
  }
  const outside = specifiers.find((specifier) => {
    if (isBuiltin(specifier)) return false;
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) return true;
    return false;
  });
  if (outside !== undefined) {
    return failingModule("Error", `${shownAs} imports "${outside}": your code can import only its own files and Node's built-in modules (node:…)`);
  }
  return output.outputText;
}

const mjsName = (file: string) => file.replace(/\.(?:[mc]?ts|[mc]?js)$/, ".mjs");

/** The course's own code may import packages' types; they vanish in the output. */
function transpileTrusted(source: string, fileName: string): string {
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false, isolatedModules: true },
    transformers: { after: [rewriteImports([])] },
  }).outputText;
}

/** Packages the harness imports, with what they import: copied into the bundle, since the sandbox sees nothing else. */
const harnessPackages = ["@sinonjs/fake-timers", "@sinonjs/commons", "type-detect"];

/** A package's runnable files (its package.json and its scripts, not its tests), under the harness's own node_modules/, which the student's files cannot resolve. */
function packageFiles(name: string, into: Map<string, string>): void {
  const packageDir = path.dirname(createRequire(path.join(courseRoot, "package.json")).resolve(`${name}/package.json`));
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(packageDir, relative), { withFileTypes: true })) {
      const file = path.join(relative, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(file);
      else if (entry.isFile() && /\.(?:js|json)$/.test(entry.name) && !entry.name.endsWith(".test.js")) into.set(`harness/node_modules/${name}/${file}`, readFileSync(path.join(packageDir, file), "utf8"));
    }
  };
  walk("");
}

/** The trusted code of the submission process: the harness, its packages and the suites' workloads, transpiled once. */
let trustedFiles: Map<string, string> | null = null;
function trustedSources(): Map<string, string> {
  if (trustedFiles) return trustedFiles;
  trustedFiles = new Map();
  for (const name of harnessPackages) packageFiles(name, trustedFiles);
  for (const [folder, target] of [
    [path.join(graderRoot, "submission"), "harness"],
    [path.join(courseRoot, "tests", "support"), "support"],
  ] as const) {
    for (const entry of readdirSync(folder).filter((name) => name.endsWith(".ts")).sort()) {
      const file = path.join(folder, entry);
      trustedFiles.set(`${target}/${mjsName(entry)}`, transpileTrusted(readFileSync(file, "utf8"), file));
    }
  }
  return trustedFiles;
}

export interface SubmissionBundle {
  dir: string;
  harness: string;
  exerciseDir: string;
  workloads: string;
}

/**
 * Writes what the submission process gets, and nothing else: the student's
 * sources for one module as ES modules, the harness and the workloads.
 */
export function writeSubmissionBundle(dir: string, moduleId: string, stems: string[], sources: Array<{ relative: string; text: string }>): SubmissionBundle {
  for (const [relative, text] of trustedSources()) {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), text);
  }
  const exerciseDir = path.join(dir, "exercise");
  mkdirSync(exerciseDir, { recursive: true });
  for (const { relative, text } of sources) {
    const target = path.join(exerciseDir, relative.endsWith(".json") ? relative : mjsName(relative));
    mkdirSync(path.dirname(target), { recursive: true });
    // Named by its own relative path, so the source map points next to the .mjs file, wherever that is mounted.
    writeFileSync(target, relative.endsWith(".json") ? text : transpile(text, relative, `exercises/${moduleId}/${relative}`));
  }
  for (const stem of stems) {
    if (sources.some(({ relative }) => mjsName(relative) === `${stem}.mjs`)) continue;
    writeFileSync(path.join(exerciseDir, `${stem}.mjs`), failingModule("Error", `exercises/${moduleId}/${stem}.ts is missing (check the file name and folder)`));
  }
  writeFileSync(path.join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  // Where the sandbox mounts the two pipes to the judge, each on its own: the
  // judge's pipe folder itself is never in the sandbox, so nothing can be
  // added to it, or swapped in it, while the judge removes it.
  mkdirSync(path.join(dir, "pipes"), { recursive: true });
  for (const pipe of ["requests", "answers"]) writeFileSync(path.join(dir, "pipes", pipe), "");
  return { dir, harness: path.join(dir, "harness", "harness.mjs"), exerciseDir, workloads: path.join(dir, "support", "workloads.mjs") };
}
