import type TypeScript from "typescript";
import { ts } from "./typescript.ts";

/**
 * Describes what a module exports as text, one line per export, using the
 * TypeScript checker: class constructors and public members, function
 * signatures, interface members and type aliases. Two files with the same
 * description export the same names and types, whatever their bodies do.
 */
export function describeExports(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.WriteClassExpressionAsTypeLiteral;
  const text = (type: TypeScript.Type) => checker.typeToString(type, undefined, flags);

  const membersOf = (type: TypeScript.Type, location: TypeScript.Node): string[] =>
    checker
      .getPropertiesOfType(type)
      .filter((property) => {
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        const modifiers = declaration ? ts.getCombinedModifierFlags(declaration) : 0;
        return !(modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !property.name.startsWith("#");
      })
      .map((property) => {
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        const readonly = declaration && ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly ? "readonly " : "";
        const optional = property.flags & ts.SymbolFlags.Optional ? "?" : "";
        return `${readonly}${property.name}${optional}: ${text(checker.getTypeOfSymbolAtLocation(property, location))}`;
      })
      .sort();

  const describe = (symbol: TypeScript.Symbol, location: TypeScript.Node): string => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const parts: string[] = [];
    if (target.flags & ts.SymbolFlags.Class) {
      const declared = checker.getDeclaredTypeOfSymbol(target) as TypeScript.InterfaceType;
      const staticType = checker.getTypeOfSymbolAtLocation(target, location);
      const typeParameters = (declared.typeParameters ?? []).map((parameter) => text(parameter)).join(", ");
      const constructors = staticType.getConstructSignatures().map((signature) => checker.signatureToString(signature, undefined, flags));
      const statics = membersOf(staticType, location).filter((member) => !member.startsWith("prototype:"));
      const base = declared.getBaseTypes?.()?.map(text).join(", ") ?? "";
      parts.push(`class<${typeParameters}> extends(${base}) new${constructors.join(" | ")} static{${statics.join("; ")}} {${membersOf(declared, location).join("; ")}}`);
    } else if (target.flags & ts.SymbolFlags.Function) {
      const signatures = checker.getTypeOfSymbolAtLocation(target, location).getCallSignatures();
      parts.push(`function ${signatures.map((signature) => checker.signatureToString(signature, undefined, flags)).join(" | ")}`);
    } else if (target.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Enum)) {
      parts.push(`value ${text(checker.getTypeOfSymbolAtLocation(target, location))}`);
    }
    if (target.flags & ts.SymbolFlags.Interface) {
      const declared = checker.getDeclaredTypeOfSymbol(target) as TypeScript.InterfaceType;
      const typeParameters = (declared.typeParameters ?? []).map((parameter) => text(parameter)).join(", ");
      parts.push(`interface<${typeParameters}> {${membersOf(declared, location).join("; ")}}`);
    }
    if (target.flags & ts.SymbolFlags.TypeAlias) {
      parts.push(`type = ${text(checker.getDeclaredTypeOfSymbol(target))}`);
    }
    return parts.join(" & ");
  };

  const result = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    result.set(
      file,
      exports.map((symbol) => `${symbol.name}: ${describe(symbol, source as TypeScript.Node)}`).sort(),
    );
  }
  return result;
}
