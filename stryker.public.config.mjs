// What the public suites alone catch (npm run public-strength): the mutation
// run of stryker.config.mjs, with SUITES=public, reported to a file of its own.
import base from "./stryker.config.mjs";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  ...base,
  reporters: ["json", "progress"],
  jsonReporter: { fileName: "reports/public-strength/mutation.json" },
  tempDirName: ".stryker-tmp-public",
};
