import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The results channel between the trusted reporter (in vitest's main process)
 * and the grader. Records travel over a private pipe, one per line, each
 * signed with a key that only the grader and the reporter know. Submission
 * code never runs in vitest, so it cannot read the key. The signature still
 * earns its keep without the sandbox: there the submission process runs as
 * the same user and could open this pipe through /proc/<pid>/fd, and anything
 * it writes there fails the check.
 */
export const channelFd = 3;

export interface Location {
  file: string;
  line: number;
  column: number;
}

/**
 * The property the judge sets on every error it rebuilds from one the
 * submission threw. The reporter reads it from vitest's serialized error, so
 * scoring knows which failure text the submission wrote.
 */
export const submissionErrorMark = "mqThrownBySubmission";

export type ChannelRecord =
  | { type: "ready"; file: string; name: string }
  | {
      type: "result";
      file: string;
      name: string;
      state: "passed" | "failed" | "skipped";
      message: string | null;
      /** Where the failure surfaced in the student's own code, if it did. */
      location: Location | null;
      /** The failure is an error the submission threw: its text is the submission's, not the course's. */
      thrownBySubmission?: boolean;
    }
  | { type: "file-error"; file: string; message: string }
  | { type: "end"; unhandledErrors: string[] };

/** Identifies one test across records and suites: its file and full name. */
export function testKey(test: { file: string; name: string }): string {
  return `${test.file}\u0000${test.name}`;
}

function sign(key: string, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("hex");
}

export function encodeRecord(key: string, record: ChannelRecord): string {
  const payload = JSON.stringify(record);
  return `${sign(key, payload)} ${payload}\n`;
}

export interface DecodedChannel {
  records: ChannelRecord[];
  /** Lines whose signature did not verify: someone other than the reporter wrote them. */
  forgedLines: number;
}

export function decodeChannel(key: string, text: string): DecodedChannel {
  const records: ChannelRecord[] = [];
  let forgedLines = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const space = line.indexOf(" ");
    const mac = Buffer.from(line.slice(0, space), "hex");
    const payload = line.slice(space + 1);
    const expected = Buffer.from(sign(key, payload), "hex");
    if (space < 0 || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      forgedLines += 1;
      continue;
    }
    records.push(JSON.parse(payload) as ChannelRecord);
  }
  return { records, forgedLines };
}
