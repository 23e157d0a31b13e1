import type TypeScript from "typescript";
import { ts } from "../course/typescript.ts";

/** One token of code, normalised: what it is, never what it is called. */
export interface Token {
  /** A SyntaxKind; every identifier is one kind, every literal another. */
  kind: number;
  /** 1-based lines of its first and last character (a template can span several). */
  startLine: number;
  endLine: number;
}

const identifierKind = ts.SyntaxKind.Identifier;
/**
 * Contextual keywords (`type`, `of`, `get`, `string`, `undefined`…) are names
 * too wherever the grammar allows: read as identifiers, a variable renamed
 * from `type` to `kind` changes nothing.
 */
const isContextualKeyword = (kind: TypeScript.SyntaxKind) => kind >= ts.SyntaxKind.AbstractKeyword && kind <= ts.SyntaxKind.LastKeyword;
/** A kind no scanner token has: every literal becomes this one. */
const literalKind = -1;

const literalKinds = new Set<TypeScript.SyntaxKind>([
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
]);

/** Tokens after which a `/` divides; after anything else it starts a regular expression. */
const endsOperand = new Set<TypeScript.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
]);

/** Byte offsets where each line starts, to turn a position into a line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return starts;
}

function lineOf(starts: number[], position: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= position) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** Tokens a formatter adds or drops as it likes (`;` under ASI, trailing `,`): they never count. */
const layoutKinds = new Set<TypeScript.SyntaxKind>([ts.SyntaxKind.SemicolonToken, ts.SyntaxKind.CommaToken]);
/** After these, a `|` or `&` leads a union or intersection type, which a formatter may add or drop. */
const beforeLeadingBar = new Set<TypeScript.SyntaxKind>([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.ColonToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.OpenParenToken, ts.SyntaxKind.OpenBracketToken, ts.SyntaxKind.CommaToken]);

interface ScannedToken {
  kind: TypeScript.SyntaxKind;
  start: number;
  end: number;
}

/** The scanner's tokens, with `/` and `}` read again where they start a regular expression or continue a template. */
function scan(text: string): ScannedToken[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const scanned: ScannedToken[] = [];
  // Open braces inside each `${…}` of the templates being read: the `}` that closes one resumes the template.
  const templateBraces: number[] = [];
  let previous: TypeScript.SyntaxKind = ts.SyntaxKind.Unknown;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const afterOperand = endsOperand.has(previous) || isContextualKeyword(previous);
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && !afterOperand) kind = scanner.reScanSlashToken();
    if (kind === ts.SyntaxKind.CloseBraceToken && templateBraces.length > 0) {
      const open = templateBraces.pop() ?? 0;
      if (open === 0) kind = scanner.reScanTemplateToken(false);
      else templateBraces.push(open - 1);
    }
    if (kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.TemplateMiddle) templateBraces.push(0);
    else if (kind === ts.SyntaxKind.OpenBraceToken && templateBraces.length > 0) templateBraces.push((templateBraces.pop() ?? 0) + 1);
    scanned.push({ kind, start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
    previous = kind;
  }
  return scanned;
}

/** `(x) =>`, which formatters write either way: the parentheses at `at` and `at + 2` are left out. */
const isParenthesisedArrowParameter = (scanned: readonly ScannedToken[], at: number) =>
  scanned[at]?.kind === ts.SyntaxKind.OpenParenToken &&
  scanned[at + 1]?.kind === ts.SyntaxKind.Identifier &&
  scanned[at + 2]?.kind === ts.SyntaxKind.CloseParenToken &&
  scanned[at + 3]?.kind === ts.SyntaxKind.EqualsGreaterThanToken;

/**
 * The tokens of TypeScript or JavaScript text, without comments or
 * whitespace, each identifier and each literal reduced to one placeholder,
 * and what formatters disagree on (semicolons, commas, a union's leading `|`,
 * the parentheses of a lone arrow parameter) left out: renaming, reformatting
 * and rewording a comment change nothing. Never throws: text that is not code
 * still scans, to whatever tokens it makes.
 */
export function tokenize(text: string): Token[] {
  const scanned = scan(text);
  const starts = lineStarts(text);
  const tokens: Token[] = [];
  const skipped = new Set<number>();
  for (let at = 0; at < scanned.length; at++) {
    const { kind, start, end } = scanned[at] as ScannedToken;
    if (isParenthesisedArrowParameter(scanned, at)) {
      skipped.add(at);
      skipped.add(at + 2);
    }
    const leadingBar = (kind === ts.SyntaxKind.BarToken || kind === ts.SyntaxKind.AmpersandToken) && beforeLeadingBar.has(scanned[at - 1]?.kind ?? ts.SyntaxKind.Unknown);
    if (skipped.has(at) || leadingBar || layoutKinds.has(kind)) continue;
    // After a dot even a reserved word (`map.delete`, `promise.catch`) names a property.
    const afterDot = scanned[at - 1]?.kind === ts.SyntaxKind.DotToken || scanned[at - 1]?.kind === ts.SyntaxKind.QuestionDotToken;
    const isName = kind === ts.SyntaxKind.PrivateIdentifier || isContextualKeyword(kind) || (afterDot && kind >= ts.SyntaxKind.FirstKeyword && kind <= ts.SyntaxKind.LastKeyword);
    const normalised = isName ? identifierKind : literalKinds.has(kind) ? literalKind : kind;
    tokens.push({ kind: normalised, startLine: lineOf(starts, start), endLine: lineOf(starts, Math.max(start, end - 1)) });
  }
  return tokens;
}
