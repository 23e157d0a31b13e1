// Parses Markdown in a process of its own and sends back each mdast tree. It
// says "ready" once loaded, so the grader's time limit covers only the parsing.
// A document written to be slow, huge or deeply nested costs only this
// process: running out of heap here ends it, never the grader. (A worker
// thread's heap limit can abort the whole process instead.)
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

process.on("message", (markdown) => {
  try {
    process.send?.({ tree: fromMarkdown(String(markdown), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) });
  } catch (error) {
    process.send?.({ failure: error instanceof RangeError ? "too-deep" : "unreadable" });
  }
});
process.send?.("ready");
