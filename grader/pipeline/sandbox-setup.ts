import { chai, expect } from "vitest";

// Runs in each test process before the suite, and so before any submission
// code is imported. Submission code shares this JavaScript realm with the
// assertions, so it could otherwise make every assertion pass by replacing
// the functions they rely on (Object.is, Array.prototype methods, chai's
// Assertion). Freezing them turns such an attempt into a TypeError.
// Error.prototype, Function.prototype, Math and Date stay writable: ordinary
// code assigns `this.name` on errors, and fake timers replace Date and assign
// `toString` on their own functions.
const frozen: object[] = [
  expect,
  chai.Assertion,
  chai.Assertion.prototype,
  Object,
  Array,
  Array.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Map.prototype,
  Set.prototype,
  WeakMap.prototype,
  WeakSet.prototype,
  Reflect,
  JSON,
];
for (const target of frozen) Object.freeze(target);
// Freezing Object.prototype would break `obj.toString = …` in ordinary code;
// refusing new properties is enough to stop pollution such as Object.prototype.then.
Object.preventExtensions(Object.prototype);
