import type TypeScript from "typescript";
import { ts } from "./typescript.ts";
import { GraderInputError } from "../errors.ts";

export interface SuiteTest {
  /** The test's full name as vitest reports it: describe titles and the test title joined by " > ". */
  name: string;
  line: number;
  /**
   * The rules it checks: the ids its `tags` option names (`test("…", { tags: ["fifo"] }, …)`),
   * with those of the describe blocks around it. Each is a rule the module's stub and lesson state.
   */
  rules: string[];
}

const suiteFunctions = new Set(["describe", "test", "it"]);

/**
 * Lists the tests a suite declares, by reading its source rather than running
 * it, so submission code can never hide or add an expected test. Suites must
 * therefore name each test with a plain string and declare it exactly once:
 * no `test.each`, no loops around `test`, no `.skip` or `.only`.
 */
export function listSuiteTests(source: string, fileLabel: string): SuiteTest[] {
  const file = ts.createSourceFile(fileLabel, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const tests: SuiteTest[] = [];
  const lineOf = (node: TypeScript.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const fail = (node: TypeScript.Node, problem: string): never => {
    throw new GraderInputError(`${fileLabel}:${lineOf(node)}: ${problem}`);
  };

  /** The tags an options argument names: a string or an array of strings, anything else an error. */
  const tagsOf = (options: TypeScript.Expression | undefined): string[] => {
    if (!options || !ts.isObjectLiteralExpression(options)) return [];
    const property = options.properties.find((entry) => ts.isPropertyAssignment(entry) && entry.name.getText(file) === "tags");
    if (!property || !ts.isPropertyAssignment(property)) return [];
    const value = property.initializer;
    const literal = (element: TypeScript.Expression): string =>
      ts.isStringLiteral(element) || ts.isNoSubstitutionTemplateLiteral(element) ? element.text : fail(element, "a test's tags must be plain strings, so the grader can read them");
    return ts.isArrayLiteralExpression(value) ? value.elements.map(literal) : [literal(value)];
  };

  const visit = (node: TypeScript.Node, describePath: string[], describeTags: string[] = []): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && suiteFunctions.has(callee.expression.text)) {
        fail(node, `${callee.getText(file)}(…) is not allowed in graded suites; use plain ${callee.expression.text}(…) so every test is counted`);
      }
      if (ts.isIdentifier(callee) && suiteFunctions.has(callee.text)) {
        const [title, ...rest] = node.arguments;
        if (!title || !(ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title))) {
          return fail(node, `${callee.text}(…) needs a plain string as its name so the grader can list it`);
        }
        const path = [...describePath, title.text];
        const tags = [...describeTags, ...tagsOf(rest.length > 1 ? rest[0] : undefined)];
        if (callee.text === "describe") {
          for (const argument of rest) visit(argument, path, tags);
        } else {
          if (tests.some((test) => test.name === path.join(" > "))) fail(node, `test "${path.join(" > ")}" is declared twice`);
          tests.push({ name: path.join(" > "), line: lineOf(node), rules: [...new Set(tags)] });
        }
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, describePath, describeTags));
  };
  visit(file, []);
  return tests;
}

/**
 * Lines of `expect(value)` calls that state no behaviour. Hidden suites give
 * every assertion a message (`expect(value, "dequeue should …")`), because
 * that message is what a student sees instead of the expected value.
 */
export function findUnexplainedAssertions(source: string, fileLabel: string): number[] {
  const file = ts.createSourceFile(fileLabel, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lines: number[] = [];
  const visit = (node: TypeScript.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "expect" && node.arguments.length < 2) {
      lines.push(file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return lines;
}
