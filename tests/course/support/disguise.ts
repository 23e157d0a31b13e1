import type TypeScript from "typescript";
import { ts } from "../../../grader/course/typescript.ts";

export interface Disguise {
  /** Reverse the members of every class: the same methods, in another order. */
  reorderMembers?: boolean;
  /** Put a `void 0;` after every second statement of every block: noise between copied lines. */
  padStatements?: boolean;
}

/** `undefined` and the `const` of `as const` are words of the language there, not names anyone chose. */
const keptNames = new Set(["undefined", "const"]);

/**
 * The code as someone hiding a copy might hand it in: every identifier renamed,
 * every comment dropped, and the whole reprinted in the compiler's own layout;
 * optionally with class members reordered and filler statements added.
 */
export function disguise(text: string, how: Disguise = {}): string {
  const source = ts.createSourceFile("file.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names = new Map<string, string>();
  const renamed = (name: string) => names.get(name) ?? names.set(name, `name${names.size}`).get(name) ?? name;
  const filler = () => ts.factory.createExpressionStatement(ts.factory.createVoidZero());
  const transformer: TypeScript.TransformerFactory<TypeScript.SourceFile> = (context) => {
    const visit = (node: TypeScript.Node): TypeScript.Node => {
      if (ts.isIdentifier(node) && !keptNames.has(node.text)) return ts.factory.createIdentifier(renamed(node.text));
      const visited = ts.visitEachChild(node, visit, context);
      if (how.reorderMembers && ts.isClassDeclaration(visited)) {
        return ts.factory.updateClassDeclaration(visited, visited.modifiers, visited.name, visited.typeParameters, visited.heritageClauses, [...visited.members].reverse());
      }
      if (how.padStatements && ts.isBlock(visited)) {
        return ts.factory.updateBlock(visited, visited.statements.flatMap((statement, index) => (index % 2 === 1 ? [statement, filler()] : [statement])));
      }
      return visited;
    };
    return (file) => ts.visitNode(file, visit) as TypeScript.SourceFile;
  };
  const [transformed] = ts.transform(source, [transformer]).transformed;
  return ts.createPrinter({ removeComments: true }).printFile(transformed ?? source);
}
