import { readFileSync } from "node:fs";
import path from "node:path";
import type TypeScript from "typescript";
import type { FileSurface } from "../judge/remote.ts";
import { ts } from "../course/typescript.ts";

const hasModifier = (node: TypeScript.Node, kind: TypeScript.SyntaxKind) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);

/**
 * What the suites may use of one exercise file, read from the course's stub
 * (trusted), never from the submission: its exported classes with their
 * public methods and properties, and its exported functions. The judge
 * offers exactly these, whatever the submission exports.
 */
export function readSurface(stubFile: string): FileSurface {
  const source = ts.createSourceFile(stubFile, readFileSync(stubFile, "utf8"), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const surface: FileSurface = { stem: path.basename(stubFile).replace(/\.[^.]+$/, ""), classes: [], functions: [] };
  for (const statement of source.statements) {
    if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) surface.functions.push(statement.name.text);
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const isError = (statement.heritageClauses ?? []).some((clause) => clause.types.some((type) => type.expression.getText(source) === "Error"));
    const methods: string[] = [];
    const properties: string[] = [];
    for (const member of statement.members) {
      const hidden =
        hasModifier(member, ts.SyntaxKind.PrivateKeyword) ||
        hasModifier(member, ts.SyntaxKind.ProtectedKeyword) ||
        hasModifier(member, ts.SyntaxKind.StaticKeyword) ||
        !member.name ||
        !ts.isIdentifier(member.name);
      if (hidden) continue;
      const name = (member.name as TypeScript.Identifier).text;
      if (ts.isMethodDeclaration(member)) methods.push(name);
      else if (ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) properties.push(name);
    }
    surface.classes.push({ name: statement.name.text, methods, properties, isError });
  }
  return surface;
}
