// The baseline: a minimal SSE client on undici's Pool. It sends the same chat-completions body as
// Gauntlet, splits the stream into lines, JSON.parses every `data:` chunk and timestamps the network
// read each content chunk arrived in. Nothing else: no metrics library, no events, no timeouts.
//   node bench/raw-client.mjs '{"url":"http://127.0.0.1:PORT/v1","concurrency":64,"durationS":10,...}'
// Prints one JSON summary line; with `out`, writes one line per measured request.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout } from "node:timers";
import { URL } from "node:url";
import { Pool } from "undici";

const cfg = JSON.parse(process.argv[2]);
const now = () => (performance.timeOrigin + performance.now()) * 1000;
const url = new URL(cfg.url);
const connections = cfg.connections ?? cfg.concurrency ?? cfg.maxInFlight;
const pool = new Pool(url.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
const path = url.pathname.replace(/\/+$/, "") + "/chat/completions";
const body = JSON.stringify({
  model: "m",
  messages: [{ role: "user", content: "alpha bravo charlie delta echo foxtrot golf hotel" }],
  max_tokens: cfg.maxTokens,
  ignore_eos: true,
  stream: true,
  stream_options: { include_usage: true },
});
const headers = { "content-type": "application/json" };

const keep = Boolean(cfg.out || cfg.keepTimes);
const records = [];
let requests = 0;
let failures = 0;
let outputTokens = 0;
let windowStartUs = Infinity;
let windowEndUs = 0;
let inFlight = 0;

/** One streamed request, timed from `startUs` (the scheduled or the user-free moment). */
async function one(startUs, measured) {
  const sentUs = now();
  inFlight++;
  const times = [];
  let id;
  let tokens = 0;
  let ok = true;
  try {
    const res = await pool.request({ method: "POST", path, headers, body });
    let buf = "";
    for await (const chunk of res.body) {
      const at = now();
      buf += chunk.toString("utf8");
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
        const json = JSON.parse(line.slice(6));
        id ??= json.id;
        const content = json.choices?.[0]?.delta?.content;
        if (content) {
          tokens++;
          if (keep) times.push(at);
          else if (times.length === 0) times.push(at);
        }
      }
    }
    ok = res.statusCode === 200;
  } catch {
    ok = false;
  }
  inFlight--;
  const endUs = now();
  if (!measured) return;
  requests++;
  if (!ok) failures++;
  outputTokens += tokens;
  windowStartUs = Math.min(windowStartUs, startUs);
  windowEndUs = Math.max(windowEndUs, endUs);
  if (keep) records.push({ id, startUs, sentUs, endUs, times });
}

const originUs = now();
const endUs = originUs + cfg.durationS * 1e6;
const warmupUs = (cfg.warmupS ?? 0) * 1e6;
const maxRequests = cfg.requests ?? Infinity;
let started = 0;
let dropped = 0;

if (cfg.concurrency) {
  // Closed loop: each user sends its next request the moment the previous one ended.
  const user = async () => {
    while (now() < endUs && started < maxRequests) {
      started++;
      const startUs = now();
      await one(startUs, startUs - originUs >= warmupUs);
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, user));
} else {
  // Open loop, constant arrivals: absolute due times, so lateness never accumulates.
  const pending = [];
  for (let i = 0; ; i++) {
    const dueUs = originUs + (i / cfg.rate) * 1e6;
    if (dueUs >= endUs || started >= maxRequests) break;
    const waitMs = (dueUs - now()) / 1000;
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    if (inFlight >= cfg.maxInFlight) {
      dropped++;
      continue;
    }
    started++;
    pending.push(one(dueUs, dueUs - originUs >= warmupUs));
  }
  await Promise.all(pending);
}
await pool.close();
if (cfg.out) writeFileSync(cfg.out, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
process.stdout.write(
  JSON.stringify({ requests, failures, dropped, outputTokens, windowStartUs, windowEndUs }) + "\n",
);
