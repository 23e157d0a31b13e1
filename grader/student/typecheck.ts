import { readFileSync } from "node:fs";
import path from "node:path";
import type TypeScript from "typescript";
import { ts } from "../course/typescript.ts";

/** Where a student's file stops parsing, for "fix the syntax error at line N". */
export interface SyntaxProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A name the module's tests import that the student's file no longer exports (a rename, a deleted `export`). */
export interface MissingExport {
  file: string;
  name: string;
}

/** A syntax or type error in a student's file, with the path relative to the course. */
export interface TypeProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface TypecheckResult {
  /** One line per problem: `file:line:column message`, with paths relative to the course. */
  problems: string[];
  /** The same problems, as data: syntax errors of a file before its type errors. */
  diagnostics: TypeProblem[];
  /** The first syntax error, if any: nothing else can be trusted until it is fixed. */
  syntax: SyntaxProblem | null;
  missingExports: MissingExport[];
}

/**
 * The value names a public suite imports from each exercise file of its
 * module (`import { TaskQueue } from "@exercise/01-task-queue/task-queue"`),
 * by file stem. Types are left out: a missing type fails no test.
 */
export function importedNames(suiteFile: string, moduleId: string): Map<string, string[]> {
  const source = ts.createSourceFile(suiteFile, readFileSync(suiteFile, "utf8"), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = new Map<string, string[]>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.importClause?.isTypeOnly) continue;
    const prefix = `@exercise/${moduleId}/`;
    if (!statement.moduleSpecifier.text.startsWith(prefix)) continue;
    const stem = statement.moduleSpecifier.text.slice(prefix.length);
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const values = bindings.elements.filter((element) => !element.isTypeOnly).map((element) => (element.propertyName ?? element.name).text);
    names.set(stem, [...(names.get(stem) ?? []), ...values]);
  }
  return names;
}

/**
 * Typechecks a student's exercise files with the course's tsconfig. Each call
 * reuses the previous program, so checks after the first are quick.
 */
export class ExerciseTypechecker {
  private readonly options: TypeScript.CompilerOptions;
  private program: TypeScript.Program | undefined;

  constructor(private readonly courseRoot: string) {
    const configFile = path.join(courseRoot, "tsconfig.json");
    const config = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
    this.options = ts.parseJsonConfigFileContent(config.config, ts.sys, courseRoot).options;
  }

  /** `expected`: the names the tests import, by file stem (see importedNames). */
  check(files: string[], expected: Map<string, string[]> = new Map()): TypecheckResult {
    this.program = ts.createProgram(files, this.options, undefined, this.program);
    const checker = this.program.getTypeChecker();
    const result: TypecheckResult = { problems: [], diagnostics: [], syntax: null, missingExports: [] };
    for (const file of files) {
      const source = this.program.getSourceFile(file);
      if (!source) continue;
      const relative = path.relative(this.courseRoot, file);
      const where = (diagnostic: TypeScript.Diagnostic) => source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const syntactic = this.program.getSyntacticDiagnostics(source);
      for (const diagnostic of [...syntactic, ...this.program.getSemanticDiagnostics(source)]) {
        const { line, character } = where(diagnostic);
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
        result.problems.push(`${relative}:${line + 1}:${character + 1} ${message}`);
        result.diagnostics.push({ file: relative, line: line + 1, column: character + 1, message });
      }
      const [firstSyntax] = syntactic;
      if (firstSyntax && !result.syntax) {
        const { line, character } = where(firstSyntax);
        result.syntax = { file: relative, line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(firstSyntax.messageText, " ") };
      }
      const symbol = checker.getSymbolAtLocation(source);
      const exported = new Set(symbol ? checker.getExportsOfModule(symbol).map((each) => each.name) : []);
      const stem = path.basename(file).replace(/\.[^.]+$/, "");
      for (const name of expected.get(stem) ?? []) if (!exported.has(name)) result.missingExports.push({ file: relative, name });
    }
    return result;
  }
}
