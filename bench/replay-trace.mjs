// What the replay's reference clients (bench/raw-replay.mjs, bench/floor-replay.mjs) share, so both
// send the same requests at the same times with the same waits: the trace, its synthetic prompts
// (a slice of one text built ahead, tagged with the row's number) and Gauntlet's executor's wait.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setImmediate, setTimeout } from "node:timers";

/** Now, in epoch µs (the clock Gauntlet's requests.ndjson uses). */
export const now = () => (performance.timeOrigin + performance.now()) * 1000;

/** The rows of a JSONL trace ({ timestamp, input_tokens, output_tokens }). */
export function readTrace(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Where an OpenAI-compatible base URL takes chat completions. */
export const chatPath = (url) => url.pathname.replace(/\/+$/, "") + "/chat/completions";

/** Returns each row's streamed chat request body (a JSON string), by row index. */
export function syntheticBodies(rows) {
  const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
  let text = "";
  const ends = [];
  for (let k = 0; k < Math.max(...rows.map((r) => r.input_tokens)); k++) {
    text += ` ${WORDS[k % WORDS.length]}`;
    ends.push(text.length);
  }
  return (i) =>
    JSON.stringify({
      model: "m",
      messages: [{ role: "user", content: `r${i + 1}${text.slice(0, ends[rows[i].input_tokens - 2] ?? 0)}` }],
      max_tokens: rows[i].output_tokens,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    });
}

/** Resolves at `dueUs`: a timer for all but the last millisecond, loop turns for the rest. */
export function sleepUntil(dueUs) {
  return new Promise((resolve) => {
    const check = () => {
      const leftMs = (dueUs - now()) / 1000;
      if (leftMs < 0.001) resolve();
      else if (leftMs < 1) setImmediate(check);
      else setTimeout(check, leftMs);
    };
    check();
  });
}
