// The replay baseline: a minimal client that sends each row of a trace at its time on undici's Pool
// and notes when its request was written to the socket. The same waits as Gauntlet's executor (a
// timer, then loop turns for the last millisecond), the same synthetic prompts (a slice of one text
// built ahead), a stream read to its end and nothing else: no parsing, metrics, events or timeouts.
//   node bench/raw-replay.mjs '{"url":"http://127.0.0.1:PORT/v1","trace":"trace.jsonl","maxInFlight":1024,"out":"raw.ndjson"}'
// Prints one JSON summary line; writes one line per request sent ({ startUs, sentUs, ok }) to `out`.
import { writeFileSync } from "node:fs";
import { setImmediate } from "node:timers";
import { URL } from "node:url";
import { Pool } from "undici";
import { chatPath, now, readTrace, sleepUntil, syntheticBodies } from "./replay-trace.mjs";

const cfg = JSON.parse(process.argv[2]);
const url = new URL(cfg.url);
const rows = readTrace(cfg.trace);
const pool = new Pool(url.origin, { connections: cfg.maxInFlight, pipelining: 1, keepAliveTimeout: 60_000 });
const path = chatPath(url);
const headers = { "content-type": "application/json" };
const bodyOf = syntheticBodies(rows);

const records = [];
let inFlight = 0;
let dropped = 0;

/** One streamed request due at `startUs`, read to its end. */
function one(i, startUs) {
  const body = bodyOf(i);
  const record = { startUs, sentUs: 0, ok: false };
  records.push(record);
  inFlight++;
  return new Promise((resolve) => {
    const end = (ok) => {
      record.ok = ok;
      inFlight--;
      resolve();
    };
    let status = 0;
    pool.dispatch(
      { method: "POST", path, headers, body },
      {
        onConnect() {},
        onRequestSent() {
          record.sentUs = now();
        },
        onHeaders(code) {
          status = code;
          return true;
        },
        onData() {
          return true;
        },
        onComplete() {
          end(status === 200);
        },
        onError() {
          end(false);
        },
      },
    );
  });
}

const t0 = rows[0].timestamp;
const originUs = now();
const pending = [];
for (let i = 0; i < rows.length; i++) {
  const dueUs = originUs + (rows[i].timestamp - t0) * 1000;
  if (dueUs > now()) await sleepUntil(dueUs);
  if (inFlight >= cfg.maxInFlight) {
    dropped++;
    continue;
  }
  pending.push(one(i, dueUs));
  if (i % 256 === 255) await new Promise((r) => setImmediate(r));
}
await Promise.all(pending);
await pool.close();
if (cfg.out) writeFileSync(cfg.out, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
process.stdout.write(
  JSON.stringify({ requests: records.length, failures: records.filter((r) => !r.ok).length, dropped }) + "\n",
);
