// Parses Markdown in a worker thread and posts back each mdast tree. It says
// "ready" once loaded, so the grader's time limit covers only the parsing: a
// document written to be slow or deeply nested costs only this worker.
import { parentPort } from "node:worker_threads";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

parentPort?.on("message", (markdown) => {
  parentPort?.postMessage(fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }));
});
parentPort?.postMessage("ready");
