import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { GraderInputError } from "../errors.ts";

/** The right answers to one quiz, kept under tests/hidden/ so they never ship to students. */
export interface QuizKey {
  /** `explanation`: why the answers are right, for the student's feedback after grading; it never ships in the quiz. */
  questions: Array<{ question: string; answers: string[]; explanation?: string }>;
}

const validateKey = new Ajv().compile<QuizKey>({
  type: "object",
  additionalProperties: false,
  required: ["questions"],
  properties: {
    questions: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["question", "answers"],
        properties: {
          question: { type: "string", minLength: 1 },
          answers: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } },
          explanation: { type: "string", minLength: 1 },
        },
      },
    },
  },
});

export function loadQuizKey(file: string, label: string): QuizKey {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new GraderInputError(`${label}: cannot read the quiz key (${(error as Error).message.split("\n")[0]})`);
  }
  if (!validateKey(data)) {
    const first = validateKey.errors?.[0];
    throw new GraderInputError(`${label}: ${first?.instancePath || "key"} ${first?.message ?? "is invalid"}`);
  }
  return data;
}
