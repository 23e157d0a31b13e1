import path from "node:path";
import type TypeScript from "typescript";
import { ts } from "../course/typescript.ts";

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

  /** One line per problem: `file:line:column message`, with paths relative to the course. */
  check(files: string[]): string[] {
    this.program = ts.createProgram(files, this.options, undefined, this.program);
    const problems: string[] = [];
    for (const file of files) {
      const source = this.program.getSourceFile(file);
      if (!source) continue;
      const diagnostics = [...this.program.getSyntacticDiagnostics(source), ...this.program.getSemanticDiagnostics(source)];
      for (const diagnostic of diagnostics) {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
        const where = diagnostic.start === undefined ? { line: 0, character: 0 } : source.getLineAndCharacterOfPosition(diagnostic.start);
        problems.push(`${path.relative(this.courseRoot, file)}:${where.line + 1}:${where.character + 1} ${message}`);
      }
    }
    return problems;
  }
}
