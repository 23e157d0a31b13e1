import { Ajv, type ValidateFunction } from "ajv";
import { describeSchemaError } from "../course/schema-error.ts";
import { GraderInputError } from "../errors.ts";
import reportSchema from "./report.schema.json" with { type: "json" };
import type { GradeReport } from "./types.ts";

/** Compiles the published report schema, and any schema that refers to it, into one checker. */
export const reportSchemas = new Ajv({ allErrors: false }).addSchema(reportSchema);

const validateReport = reportSchemas.compile<GradeReport>({ $ref: reportSchema.$id });

/** Data that must follow a schema, or a GraderInputError naming its first wrong field. */
export function checkSchema<T>(validate: ValidateFunction<T>, data: unknown, document: string): T {
  if (validate(data)) return data;
  const first = validate.errors?.[0];
  throw new GraderInputError(`${document}: ${first ? describeSchemaError(first, document) : "invalid"}`);
}

/** A grade report as report.schema.json publishes it. */
export function checkGradeReport(data: unknown, document = "the report"): GradeReport {
  return checkSchema(validateReport, data, document);
}
