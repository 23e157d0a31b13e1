import type { HiddenResults } from "./manifest.ts";

const twoDigits = (value: number) => String(value).padStart(2, "0");
const whole = (field: string) => (/^\d{1,2}$/.test(field) ? Number(field) : null);

/**
 * A cron schedule in words, for the forms a gradebook uses: every hour at a
 * minute, every N hours, or once a day. Anything else is quoted as it is.
 */
export function describeSchedule(cron: string): string {
  const [minuteField = "", hourField = "", day, month, weekday] = cron.trim().split(/\s+/);
  const minute = whole(minuteField);
  const everyDay = day === "*" && month === "*" && weekday === "*";
  if (minute !== null && minute < 60 && everyDay) {
    if (hourField === "*") return minute === 0 ? "every hour, on the hour (UTC)" : `every hour, at ${minute} minutes past (UTC)`;
    const every = /^\*\/(\d{1,2})$/.exec(hourField);
    if (every) return `every ${every[1]} hours, at ${minute} minutes past (UTC)`;
    const hour = whole(hourField);
    if (hour !== null && hour < 24) return `every day at ${twoDigits(hour)}:${twoDigits(minute)} UTC`;
  }
  return `on the schedule \`${cron}\` (cron, UTC)`;
}

/** One sentence for students: who checks the hidden tests and the quiz answers, when, and where the result appears. */
export function describeHiddenResults(results: HiddenResults): string {
  const who = "Your instructor's grader runs the hidden tests and checks your quiz answers";
  if (results.where === "commits") {
    const when = results.schedule ? describeSchedule(results.schedule) : "on a schedule";
    return `${who} ${when}, on the newest commit you have pushed; the result appears on that commit on GitHub, as a status (✓ or ✗ beside it) and a comment.`;
  }
  if (results.where === "gradescope") return `${who} when you submit on Gradescope; the results appear there.`;
  return `${who}; your instructor tells you when and where the results appear.`;
}
