/**
 * A problem with the grader's input (an option, a submission, the course
 * itself) rather than with the code being graded. Commands print its message
 * as one line and exit with status 2.
 */
export class GraderInputError extends Error {
  override readonly name = "GraderInputError";
}
