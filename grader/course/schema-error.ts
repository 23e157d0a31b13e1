import type { ErrorObject } from "ajv";

/** `/modules/1/points` → `modules[1].points` */
function fieldName(instancePath: string): string {
  return instancePath
    .split("/")
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join("");
}

/** One schema error in words that name the field: `modules[1].points.hiddenTest must be integer`. */
export function describeSchemaError(error: ErrorObject, document: string): string {
  const field = fieldName(error.instancePath);
  if (error.keyword === "required") {
    const missing = String(error.params["missingProperty"]);
    return `${field ? `${field}.` : ""}${missing} is missing`;
  }
  if (error.keyword === "additionalProperties") {
    const extra = String(error.params["additionalProperty"]);
    return `${field ? `${field}.` : ""}${extra} is not a known field`;
  }
  return `${field || document} ${error.message ?? "is invalid"}`;
}
