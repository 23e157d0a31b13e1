// Mutation testing of the reference solutions against the public and hidden
// suites (npm run mutation, which runs Stryker under Node 24: Stryker 10 needs
// Node 22 or later). scripts/mutation.ts reads the JSON report it writes.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.config.ts", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: ["solutions/**/*.ts"],
  // Stryker copies the project; the fixtures hold symbolic links on purpose, and none of these is needed.
  ignorePatterns: ["tests/fixtures", "tests/course", "release", "reports", "gradebook", ".gradebook-cache", "scripts"],
  coverageAnalysis: "perTest",
  reporters: ["html", "json", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  // Speed checks run millions of operations; instrumented code is slower, so allow it time.
  timeoutFactor: 3,
  timeoutMS: 20_000,
  thresholds: { high: 95, low: 90, break: null },
};
