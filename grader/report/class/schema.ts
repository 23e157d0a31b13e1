import { checkSchema, reportSchemas } from "../schema.ts";
import type { Gradebook } from "../types.ts";
import gradebookSchema from "./gradebook.schema.json" with { type: "json" };

const validateGradebook = reportSchemas.compile<Gradebook>(gradebookSchema);

/** A gradebook.json as gradebook.schema.json publishes it, e.g. a shard's, before a merge. */
export function checkGradebook(data: unknown, document = "gradebook.json"): Gradebook {
  return checkSchema(validateGradebook, data, document);
}
