import { describe, expect, test } from "vitest";
import { describeHiddenResults, describeSchedule } from "../../grader/course/hidden-results.ts";

describe("what students are told of the instructor's grader", () => {
  test("the schedules a gradebook uses read as words; anything else is quoted as cron", () => {
    expect(describeSchedule("17 * * * *")).toBe("every hour, at 17 minutes past (UTC)");
    expect(describeSchedule("0 * * * *")).toBe("every hour, on the hour (UTC)");
    expect(describeSchedule("5 */6 * * *")).toBe("every 6 hours, at 5 minutes past (UTC)");
    expect(describeSchedule("30 7 * * *")).toBe("every day at 07:30 UTC");
    expect(describeSchedule("0 9 * * 1")).toBe("on the schedule `0 9 * * 1` (cron, UTC)");
    expect(describeSchedule("61 * * * *")).toBe("on the schedule `61 * * * *` (cron, UTC)");
  });

  test("each place results can appear is named, with when", () => {
    expect(describeHiddenResults({ where: "commits", schedule: "17 * * * *" })).toMatch(/every hour, at 17 minutes past \(UTC\), on the newest commit you have pushed; .* a status .* and a comment\.$/);
    expect(describeHiddenResults({ where: "gradescope", schedule: null })).toMatch(/when you submit on Gradescope/);
    expect(describeHiddenResults({ where: "instructor", schedule: null })).toMatch(/your instructor tells you when and where/);
  });
});
