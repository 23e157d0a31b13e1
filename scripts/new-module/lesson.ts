import { instructorTodo } from "./code.ts";
import type { ModuleNames } from "./names.ts";
import { starterRules } from "./rules.ts";

/** A module the new lesson links to: the course's introduction, or the module before the new one. */
export interface LinkedModule {
  id: string;
  title: string;
}

/** Where the new module sits: the modules its lesson links to. */
export interface LessonLinks {
  introduction: LinkedModule | null;
  previous: LinkedModule | null;
}

const todo = (what: string) => `<!-- ${instructorTodo}: ${what} -->`;

const link = (module: LinkedModule) => `[module ${module.id.slice(0, 2)}](../${module.id}/README.md)`;

/**
 * The lesson, in the shape of the course's others: why it matters, terms, a
 * Mermaid model, a worked example, the exercise with its rules, something to
 * try, real systems, quiz, next. It teaches the starter exercise, a bounded
 * buffer, and marks every section for the instructor to replace.
 */
export function lessonMarkdown(names: ModuleNames, links: LessonLinks): string {
  const { id, number, title, className: C, file } = names;
  const rules = starterRules(names)
    .map((rule) => `- [${rule.id}] **${rule.lead}** ${rule.text}`)
    .join("\n");
  const back = [links.previous, links.introduction].filter((module): module is LinkedModule => module !== null);
  const next = back.length > 0 ? `Back to ${back.map((module) => `${link(module)} (${module.title})`).join(", or ")}.` : "";
  const stem = file.replace(/\.ts$/, "");
  return `# Module ${number}: ${title}

**You will be able to:**

- explain why a buffer between a fast producer and a slow consumer needs a bound
- build a bounded buffer on a ring of slots, O(1) per operation
- say what a producer should do when the buffer is full

**Time:** about 20 minutes to read, and 60 for the exercise. **Assumes:** ${back.length > 0 ? back.map((module) => link(module)).join(" and ") : "TypeScript classes and generics"}.

${todo(`npm run new-module wrote this lesson around a starter exercise, a bounded buffer, so that the module passes npm test at once. Replace each section with this module's own content and keep the shape. The stub, the solution, both suites, the quiz and its key, and the hints in course.json teach the same starter; change them together (grep -rn "${instructorTodo}").`)}

You will build \`${C}<T>\`, a bounded buffer: it holds at most a fixed number of items, hands them out oldest first, and says \`false\` when it has no room, instead of growing without limit.

## Why it matters

${todo("why this module's topic matters, with two or three concrete stories.")}

**A burst of orders.** A shop's checkout service takes orders and passes each one to a worker that charges the card. The worker handles 50 orders a second. On a normal day 20 arrive each second, and the line between them is almost always empty. Then a campaign email goes out, and for two minutes 200 orders arrive every second. Each second the line grows by 150. With an unbounded line, nothing looks wrong: no error, no warning. After two minutes 18,000 orders wait, the last one about six minutes behind, and the memory that holds them is still growing. If the burst lasts long enough, the process runs out of memory and every waiting order is lost at once.

**A bound makes the problem visible.** Give the line a capacity of 1,000. The first 1,000 extra orders wait, and the next one is refused *at the moment it arrives*, while the checkout service can still do something sensible: answer "busy, try again in a minute", save the order elsewhere, or slow down. A refusal is a signal the producer can act on; an out-of-memory crash is not.

**Memory that does not depend on traffic.** A bounded buffer uses the same amount of memory however busy the day is: at most \`capacity\` items. That makes it easy to size a machine, and it means a slow consumer cannot take the rest of the program down with it.

So what goes wrong without a bound?

- **Memory**: the backlog grows until the process or the broker runs out.
- **Latency**: every new item waits behind every old one, so waiting times grow without limit.
- **Silence**: nobody upstream learns that the consumer is behind until something breaks.

## Terms

${todo("the words this module uses, each defined once.")}

- **Buffer**: memory that holds items between the code that produces them and the code that uses them.
- **Capacity**: the most items a buffer holds at once. Here it is fixed when the buffer is made.
- **Bounded** and **unbounded**: a bounded buffer has a capacity; an unbounded one grows for as long as memory lasts.
- **Full** and **empty**: a full buffer holds \`capacity\` items; an empty one holds none.
- **Put** and **take**: add an item at the back; remove the item at the front.
- **Ring buffer** (also *circular buffer*): a fixed row of slots used as if its end were joined to its start, so the line of items can wrap around.
- **Head**: the slot of the oldest item, the next one to be taken.
- **Count**: how many items are held. Together with the head it says where every item is.
- **Backpressure**: any way for a slow consumer to make a fast producer slow down, instead of letting work pile up.
- **Load shedding**: refusing or dropping work on purpose, so that the work already accepted still gets done in time.

## The model

${todo("a Mermaid diagram of this module's model.")}

A bounded buffer sits between a producer and a consumer. The producer calls \`put\`; the consumer calls \`take\`. When the buffer is full, \`put\` returns \`false\` and the producer decides what to do with the item.

\`\`\`mermaid
flowchart LR
    producer(["Producer"])
    subgraph buffer["${C}: capacity 3, size() is 2"]
        direction LR
        s0["slot 0: empty"]
        s1["slot 1: A (head)"]
        s2["slot 2: B"]
    end
    consumer(["Consumer"])
    producer -->|"put(C): true, into slot 0"| s0
    s1 -->|"take() returns A"| consumer
    producer -.->|"put(D) when full: false"| refused(["Producer retries, waits or gives up"])
\`\`\`

The slots never move. The buffer remembers only two numbers besides the slots:

- \`head\`, the slot of the oldest item;
- \`count\`, how many items are held.

The next free slot is \`(head + count) % capacity\`: the \`%\` (remainder) makes the slot after the last one slot 0 again. \`take\` reads the slot at \`head\`, clears it, and moves \`head\` one slot on, wrapping the same way. Neither operation moves an item, so both cost the same however full the buffer is.

\`\`\`mermaid
flowchart LR
    a["slots: [_, A, B]<br/>head 1, count 2"] -->|"put(C) goes to (1 + 2) % 3 = 0"| b["slots: [C, A, B]<br/>head 1, count 3: full"]
    b -->|"take() returns A"| c["slots: [C, _, B]<br/>head 2, count 2"]
    c -->|"take() returns B"| d["slots: [C, _, _]<br/>head 0, count 1"]
\`\`\`

### What the producer does with \`false\`

A refused item is the producer's to handle, and that is the point: the producer knows what the item is worth, the buffer does not. The usual answers:

- **Retry later.** Wait a moment and put the item again, waiting a little longer after each refusal (*backoff*), so that a crowd of producers does not hammer a full buffer in step.
- **Tell the caller.** A web service answers "busy, try again" (HTTP status 503 or 429) and lets its client decide. Nothing is lost, and nothing waits in memory.
- **Put it somewhere slower.** Write the item to disk or to another queue, and feed it back in when the buffer has room.
- **Drop it and count it.** For items that lose their value quickly, such as a position update that the next one replaces, a refusal is harmless, and a counter of refusals tells you how often it happens.

What the producer must not do is loop on \`put\` until it returns \`true\`: that keeps a processor busy doing nothing, and in a single-threaded program such as Node.js the consumer never gets a turn to make room.

## A worked example

${todo("a worked example of this module's exercise, step by step.")}

\`\`\`ts
import { ${C} } from "./${file.replace(/\.ts$/, "")}";

const orders = new ${C}<string>(3);
console.log(orders.put("A"), orders.put("B"));
console.log(orders.take());
console.log(orders.put("C"), orders.put("D"), orders.put("E"));
console.log(orders.take());
console.log(orders.put("F"));
console.log(orders.take(), orders.take(), orders.take(), orders.take());
console.log(orders.size());
\`\`\`

\`\`\`text
true true
A
true true false
B
true
C D F null
0
\`\`\`

Here is what happens inside. \`_\` marks an empty slot (in real code, set it to \`undefined\` so that the buffer keeps no hold on an item it has handed out).

| Step | Call | Returns | Slots afterwards | \`head\` | \`count\` | Why |
| --- | --- | --- | --- | --- | --- | --- |
| 1 | \`put("A")\` | \`true\` | \`[A, _, _]\` | 0 | 1 | slot (0 + 0) % 3 = 0 |
| 2 | \`put("B")\` | \`true\` | \`[A, B, _]\` | 0 | 2 | slot (0 + 1) % 3 = 1 |
| 3 | \`take()\` | \`A\` | \`[_, B, _]\` | 1 | 1 | read slot 0, clear it, head moves on |
| 4 | \`put("C")\` | \`true\` | \`[_, B, C]\` | 1 | 2 | slot (1 + 1) % 3 = 2 |
| 5 | \`put("D")\` | \`true\` | \`[D, B, C]\` | 1 | 3 | slot (1 + 2) % 3 = 0: the line wraps |
| 6 | \`put("E")\` | \`false\` | \`[D, B, C]\` | 1 | 3 | count equals capacity: nothing changes |
| 7 | \`take()\` | \`B\` | \`[D, _, C]\` | 2 | 2 | |
| 8 | \`put("F")\` | \`true\` | \`[D, F, C]\` | 2 | 3 | slot (2 + 2) % 3 = 1 |
| 9 | \`take()\` | \`C\` | \`[D, F, _]\` | 0 | 2 | head (2 + 1) % 3 = 0 wraps too |
| 10 | \`take()\` | \`D\` | \`[_, F, _]\` | 1 | 1 | |
| 11 | \`take()\` | \`F\` | \`[_, _, _]\` | 2 | 0 | |
| 12 | \`take()\` | \`null\` | \`[_, _, _]\` | 2 | 0 | count is 0: nothing to take |

Step 6 is the point of the exercise: \`E\` is refused, and the three items already held are untouched. Step 12 checks for emptiness by *counting*, not by looking at a slot, which matters as soon as an item is \`0\`, \`""\` or \`undefined\`.

### Why a ring

An array with \`push\` and \`shift\` also gives first-in, first-out order, and with a capacity check it is a correct bounded buffer. But \`shift\` moves every remaining item one place forward, so a take costs time in proportion to the items held. With a capacity of a million, one take can move a million items. The ring moves nothing: a put writes one slot, a take reads and clears one slot, and two numbers change. Every operation is O(1), not just on average.

A ring also never needs more memory than its capacity. The slots freed by takes are used again by later puts, so a buffer that has seen a billion items holds no more than one that has seen ten.

### Other designs that work

The ring is one valid design. The grader tests only what the buffer does, so these pass too:

- **A linked list and a counter.** Each item sits in a small node that points to the next one; the buffer keeps the first and last node and the number held. \`put\` refuses when the counter equals the capacity.
- **A head index that compacts**, as in a FIFO task queue: push at the end, read at a moving index, and drop the dead part of the array now and then.
- **Two stacks and a counter**: push onto an inbox, pop from an outbox that is refilled by reversing the inbox when it runs empty.

Whatever you pick, count the items rather than testing their values, and let go of an item once it has been taken.

## The exercise

${todo(`this module's exercise: the declaration below, then its rules, each as "- [rule-id] **Lead.** text", the same ids as in the stub's doc comment.`)}

Open \`exercises/${id}/${file}\` and implement the class below. The block is a declaration (\`declare class\`): it shows the signatures only. In your file the class stays \`export class\`, with a body for each method.

\`\`\`ts
export declare class ${C}<T = unknown> {
  constructor(capacity: number);
  put(item: T): boolean;   // false when full, and nothing is stored
  take(): T | null;        // the oldest item; null when empty
  size(): number;          // items held
}
\`\`\`

The rules the grader checks:

${rules}

Edge cases worth testing yourself:

- A buffer of capacity 1: it is full after one put and empty after one take.
- Filling the buffer, taking one item and putting another, many times over: this is where a wrap-around bug shows up.
- Several takes in a row on an empty buffer, then a put: the new item must come out next, and \`size()\` must be 1.
- Items that are \`0\`, \`""\`, \`false\` or \`undefined\`: a buffer that checks \`if (!item)\` loses them.

What to run:

- \`npm run exercise ${number}\` watches your file and reruns the public tests every time you save. Start here.
- \`npm run hint ${number}\` gives a hint for your first failing test.
- \`npm run quiz ${number}\` answers the quiz in the terminal.
- \`npm run grade -- --only ${number}\` runs what your push runs; your instructor's grader runs the hidden tests (\`npm run progress\` says when).

> **Predict, then reveal.** A buffer of capacity 2 gets \`put(1)\`, \`put(2)\`, \`take()\`, \`put(3)\`, \`put(4)\`. What does the last \`put\` return, and what do two more takes return?

<details>
<summary>Reveal</summary>

\`false\`: after the take, 2 and 3 fill both slots, so 4 is refused. The two takes return 2, then 3.

</details>

## Write your own test

${todo("an edge case of this module's exercise that the public tests do not spell out, as one test a student can copy.")}

The public tests check each rule once. To check an edge case of your own, put a test in \`scratch/\` (git ignores it) and run \`npx vitest run scratch\`. This one checks that a refused item leaves the buffer as it was, which no public test spells out:

\`\`\`ts
import { expect, test } from "vitest";
import { ${C} } from "@exercise/${id}/${stem}";

test("a refused put changes nothing", () => {
  const buffer = new ${C}<string>(1);
  buffer.put("a");
  expect(buffer.put("b")).toBe(false);
  expect(buffer.size()).toBe(1);
  expect(buffer.take()).toBe("a");
});
\`\`\`

Save it as \`scratch/${number}-refused.test.ts\`. It fails until your buffer follows the rules, and then it guards what you built.

## Experiments to try

${todo("an experiment for this module (experiments/NN-name.ts, run with npm run experiment -- NN-name), or drop this section.")}

### A burst against a bound

Once the public tests pass, save this as \`scratch/burst.ts\` in your repository (git ignores \`scratch/\`) and run it with \`node --import tsx scratch/burst.ts\`:

\`\`\`ts
import { ${C} } from "../exercises/${id}/${file.replace(/\.ts$/, "")}";

const line = new ${C}<number>(1_000);
let refused = 0;
for (let second = 0; second < 120; second++) {
  for (let order = 0; order < 200; order++) if (!line.put(second * 200 + order)) refused += 1;
  for (let handled = 0; handled < 50; handled++) line.take();
}
console.log({ held: line.size(), refused });
\`\`\`

What to look for:

- **\`held\` stops at the capacity.** However long the burst lasts, the buffer never holds more than 1,000 orders, so its memory stays the same.
- **\`refused\` counts what the bound turned away**: everything above what the worker handled and the buffer could hold. Change the loop so that refused orders are counted per second, and see when the refusals start.
- Make the capacity 1,000,000 and the burst ten times longer: the buffer absorbs it all, and \`held\` shows how far behind the worker has fallen.

## In real systems

${todo("real systems that do what this module teaches, with links to their docs; check each fact against the docs and say when.")}

Bounded buffers are everywhere a fast producer meets a slower consumer. What differs is what happens when they are full: refuse, block, or drop.

<details>
<summary>Java's ArrayBlockingQueue</summary>

Java's [\`ArrayBlockingQueue\`](https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/concurrent/ArrayBlockingQueue.html) is this exercise with threads: a bounded, first-in, first-out queue backed by an array whose capacity cannot change once it is created. Its \`offer\` returns \`false\` when the queue is full, like \`put\` here, and its \`poll\` returns \`null\` when it is empty, like \`take\`. Its own \`put\` blocks the calling thread until there is room instead. It refuses \`null\` items altogether, because \`null\` is how \`poll\` says "empty"; this exercise accepts any value, so check \`size()\` when your items may be \`null\`.

</details>

<details>
<summary>RabbitMQ</summary>

A queue can have a [length limit](https://www.rabbitmq.com/docs/maxlength) (\`x-max-length\`). What happens at the limit is the queue's overflow setting: \`drop-head\`, the default, drops the oldest messages; \`reject-publish\` refuses the new one, and with publisher confirms on, the publisher is told. This exercise behaves like \`reject-publish\`.

</details>

<details>
<summary>Node.js streams</summary>

A writable stream buffers what is written to it. \`writable.write()\` returns \`false\` once the buffer reaches the stream's \`highWaterMark\`, and the writer should wait for the \`'drain'\` event before writing more ([backpressuring in streams](https://nodejs.org/en/learn/modules/backpressuring-in-streams)). Unlike \`put\`, the write that returns \`false\` is still buffered: \`false\` is a request to stop, not a refusal.

</details>

<details>
<summary>Go channels</summary>

A Go channel made with a capacity, \`make(chan Order, 100)\`, is a bounded buffer built into the language ([channel types](https://go.dev/ref/spec#Channel_types)). A send on a full channel blocks until a receiver takes an item; a \`select\` with a \`default\` case turns it into a refusal, which is what \`put\` does.

</details>

<details>
<summary>Pipes</summary>

A Unix pipe is a bounded byte buffer between two processes. On Linux its capacity is 65,536 bytes by default, and a write to a full pipe blocks until the reader catches up ([pipe(7)](https://man7.org/linux/man-pages/man7/pipe.7.html)). That is why \`producer | consumer\` in a shell never fills the memory when the consumer is slow: the producer simply waits.

</details>

## Quiz

${todo("the quiz: at least five questions, each ending (pick one) or (pick all that apply), with the key in tests/hidden/quiz-keys/" + id + ".json.")}

Answer the questions in [quiz.md](quiz.md), or run \`npm run quiz ${number}\`.

## Next

${todo("what comes next, and how this module connects to the others.")}

A bounded buffer refuses what it cannot hold. Other answers to a full buffer are to make the producer wait, or to drop the oldest item instead of the newest, and each has its place: a producer that can wait should, and data that goes stale (a sensor reading, a stock price) is better dropped old than new.
${next ? `\n${next}\n` : ""}`;
}

/** The quiz: five questions on the starter exercise, answers spread over positions and lengths so no blind strategy wins. */
export function quizMarkdown({ number, title, className: C }: ModuleNames): string {
  return `# Quiz: ${title}

${todo("this module's questions (at least five). Keep the key in step: it names each question and answer by its text.")}

Answer in this file: tick a box by changing \`- [ ]\` to \`- [x]\`. Some questions
have one right answer and some have several; the question says which. A question
scores when exactly the right boxes are ticked. Run \`npm run quiz ${number}\` to answer
in the terminal instead.

## 1. A buffer of capacity 2 gets \`put("a")\`, \`put("b")\`, \`put("c")\`, then \`take()\`, then \`put("d")\`. What do the next two takes return? (pick one)

- [ ] a, then b
- [ ] b, then c
- [ ] b, then d
- [ ] c, then d

## 2. Why does \`put\` on a full buffer return \`false\` rather than throw? (pick one)

- [ ] An exception would empty the buffer and lose every item it holds
- [ ] Returning \`false\` lets the buffer grow by one slot for the next put
- [ ] A thrown error would stop the consumer from taking items out
- [ ] A full buffer is normal under load; the caller picks what to do

## 3. Which capacities does \`new ${C}(capacity)\` refuse with a \`RangeError\`? (pick all that apply)

- [ ] \`0\`
- [ ] \`1\`
- [ ] \`1.5\`
- [ ] \`NaN\`
- [ ] \`2 ** 20\`

## 4. A ring of capacity 4 holds 2 items, and the oldest is in slot 3. Which slot does the next put fill? (pick one)

- [ ] Slot 0
- [ ] Slot 1
- [ ] Slot 2
- [ ] Slot 3

## 5. Which of these make both \`put\` and \`take\` O(1), however many items are held? (pick all that apply)

- [ ] A ring of slots with a head index and a count
- [ ] An array that puts with \`push\` and takes with \`shift\`
- [ ] A linked list that keeps its first node, its last node and a count
- [ ] An array that puts with \`unshift\` and takes with \`pop\`
- [ ] An array kept sorted by arrival time, re-sorted after each put
`;
}

/** The quiz's key, by question and option text as the quiz parser reads them (inline code without its backticks), each with the explanation a student reads in feedback. */
export function quizKey({ className: C }: ModuleNames): string {
  const key = {
    questions: [
      {
        question: '1. A buffer of capacity 2 gets put("a"), put("b"), put("c"), then take(), then put("d"). What do the next two takes return? (pick one)',
        answers: ["b, then d"],
        explanation: 'The full buffer refuses "c", so it holds a and b. take() returns a, and put("d") fills the freed room behind b: the next two takes return b, then d.',
      },
      {
        question: "2. Why does put on a full buffer return false rather than throw? (pick one)",
        answers: ["A full buffer is normal under load; the caller picks what to do"],
        explanation: "Under load a full buffer is expected, not a fault: false tells the producer, who knows what the item is worth, to wait, retry or drop it. The items already held are not touched either way.",
      },
      {
        question: `3. Which capacities does new ${C}(capacity) refuse with a RangeError? (pick all that apply)`,
        answers: ["0", "1.5", "NaN"],
        explanation: "A capacity is a whole number of at least 1: 0, 1.5 and NaN are refused. 1 is the smallest buffer there is, and 2 ** 20 is a whole number too.",
      },
      {
        question: "4. A ring of capacity 4 holds 2 items, and the oldest is in slot 3. Which slot does the next put fill? (pick one)",
        answers: ["Slot 1"],
        explanation: "The slots wrap around: the two items are in slots 3 and 0, so the next free slot is (3 + 2) % 4 = 1.",
      },
      {
        question: "5. Which of these make both put and take O(1), however many items are held? (pick all that apply)",
        answers: ["A ring of slots with a head index and a count", "A linked list that keeps its first node, its last node and a count"],
        explanation: "A ring and a linked list with both ends reach the next item and the next free place directly. shift and unshift move every element each time, and re-sorting after each put costs more still.",
      },
    ],
  };
  return `${JSON.stringify(key, null, 2)}\n`;
}
