import { describe, expect, test } from "vitest";
import { course, readCourseFile } from "./support/course.ts";

// Reading time at 200 words a minute, lesson and quiz together, counted as
// `wc -w` counts (runs of non-space), tables and code included. The figure is
// in each test's name.
const wordsPerMinute = 200;
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const minutes = course.modules.map((module) => ({
  id: module.id,
  minutes: (words(readCourseFile(module.lesson)) + words(readCourseFile(module.quiz))) / wordsPerMinute,
}));
const introduction = minutes[0];

describe("every lesson, quiz included, reads in at most 25 minutes; the introduction in at most 15, and it is the shortest", () => {
  for (const { id, minutes: reading } of minutes) {
    const limit = id === introduction?.id ? 15 : 25;
    test(`${id}: ${reading.toFixed(1)} min (limit ${limit})`, () => {
      expect(reading).toBeLessThanOrEqual(limit);
    });
  }
  test(`${introduction?.id} is the shortest lesson`, () => {
    expect(Math.min(...minutes.map((entry) => entry.minutes))).toBe(introduction?.minutes);
  });
});
