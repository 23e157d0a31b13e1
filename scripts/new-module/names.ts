import { GraderInputError } from "../../grader/errors.ts";

/** What the generator names after a module id such as `10-rate-limiter`. */
export interface ModuleNames {
  /** "10-rate-limiter" */
  id: string;
  /** "10": what students type (`npm run exercise 10`). */
  number: string;
  /** "rate-limiter" */
  name: string;
  /** The exercise file, inside exercises/<id>/ and solutions/<id>/: "rate-limiter.ts". */
  file: string;
  /** The class the exercise exports: "RateLimiter". */
  className: string;
  title: string;
}

// The name becomes the exercise's file and class, so it starts with a letter (a class name cannot start with a digit).
const idPattern = /^(\d{2})-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/;

/** Numbers the course has promised to modules that do not exist yet. */
export const reservedNumbers: ReadonlyMap<string, string> = new Map([
  ["07", "the Redis Streams lab, 07-redis-streams, whose interface the course's contracts fix"],
  ["08", "the RabbitMQ lab, 08-rabbitmq, whose interface the course's contracts fix"],
  ["09", "the planned capstone, the order pipeline"],
]);

const example = "10-rate-limiter";

/** Checks the id and the title from the command line; a problem is a GraderInputError naming it. */
export function moduleNames(id: string | undefined, title: string | undefined): ModuleNames {
  if (id === undefined || id.trim() === "") throw new GraderInputError(`give the module's id and title: npm run new-module -- ${example} "Rate limiting"`);
  const match = idPattern.exec(id);
  if (!match) {
    throw new GraderInputError(`"${id}" is not an id of the form NN-name: two digits, a hyphen, then lower-case words joined by hyphens, starting with a letter (${example})`);
  }
  const [, number = "", name = ""] = match;
  const reservedFor = reservedNumbers.get(number);
  if (reservedFor !== undefined) throw new GraderInputError(`${number} is kept for ${reservedFor}; pick another number`);
  if (title === undefined || title.trim() === "") throw new GraderInputError(`give the module's title after its id: npm run new-module -- ${id} "Title"`);
  // The title goes into Markdown headings, a table row and course.json: one line of printable text.
  if (/[\p{Cc}\u2028\u2029]/u.test(title)) throw new GraderInputError("the title must be one line of plain text (no line breaks or control characters)");
  const className = name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
  // A class named after a global (Map, Number, Buffer) would hide it inside the exercise, where the solution needs it.
  if (className in globalThis) throw new GraderInputError(`the exercise's class would be called ${className}, which hides JavaScript's own ${className}; pick another name`);
  return { id, number, name, file: `${name}.ts`, className, title: title.trim() };
}
