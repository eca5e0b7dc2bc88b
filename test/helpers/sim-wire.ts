import { expect } from "vitest";
import { SimProfileSchema, type SimProfileInput } from "../../src/sim/profile.js";
import { startSimServer, type SimServer } from "../../src/sim/server.js";
import type { TruthRecord } from "../../src/sim/truth-log.js";

// Reading the simulator's wire formats off a real socket with the global fetch and a few lines of
// framing written here (never the client's decoders in src/providers), so the two cannot be wrong
// the same way.

export const PROMPT = "What is the capital of France?";
/** The canned answer: multi-byte (é, ☕) and astral (🇫🇷) characters, split into tokens as the sim does. */
export const REPLY = "Paris is the capital of France 🇫🇷, known for its café ☕ culture.";
export const TOKENS = REPLY.match(/\s*\S+/g)!;
export const messages = [{ role: "user", content: PROMPT }];

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What `frames` gives for `data: [DONE]`. */
export const DONE = { done: "[DONE]" };
export const last = (payloads: Json[]) => payloads[payloads.length - 1];

export interface Wire {
  status: number;
  headers: Headers;
  text: string;
  /** The connection broke before the body ended. */
  broken: boolean;
}

export async function post(sim: SimServer, path: string, body: Json): Promise<Wire> {
  const res = await fetch(sim.url.replace(/\/v1$/, "") + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const decoder = new TextDecoder();
  let text = "";
  let broken = false;
  try {
    for await (const part of res.body!) text += decoder.decode(part, { stream: true });
  } catch {
    broken = true;
  }
  return { status: res.status, headers: res.headers, text, broken };
}

/**
 * Splits a stream into payloads, checking framing on the way: SSE events are blank-line separated,
 * each exactly one `data:` line (after an optional `event:` equal to data.type) holding JSON or
 * [DONE]; NDJSON is newline-terminated JSON lines. Unparseable frames come back in `bad`.
 */
export function frames(text: string, framing: "sse" | "ndjson"): { payloads: Json[]; bad: string[] } {
  const payloads: Json[] = [];
  const bad: string[] = [];
  const parse = (raw: string) => {
    try {
      payloads.push(JSON.parse(raw) as Json);
    } catch {
      bad.push(raw);
    }
  };
  if (framing === "ndjson") {
    expect(text.endsWith("\n") || text === "").toBe(true);
    for (const line of text.split("\n").slice(0, -1)) parse(line);
    return { payloads, bad };
  }
  const events = text.split("\n\n");
  expect(events.pop()).toBe(""); // the last event is complete
  for (const event of events) {
    const lines = event.split("\n");
    const name = lines[0]!.startsWith("event: ") ? lines.shift()!.slice("event: ".length) : undefined;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^data:/);
    const data = lines[0]!.replace(/^data: ?/, "");
    if (data === "[DONE]") payloads.push(DONE);
    else parse(data);
    if (name !== undefined && bad.length === 0) expect(last(payloads)!.type).toBe(name);
  }
  return { payloads, bad };
}

export const profile = (extra: SimProfileInput = {}) =>
  SimProfileSchema.parse({
    ttft_ms: 0,
    itl_ms: 0,
    seed: 11,
    answers: [{ match: "capital of France", reply: REPLY }],
    ...extra,
  });

/** A simulator and the truth records it has logged. */
export async function startWithTruth(extra?: SimProfileInput) {
  const truth: TruthRecord[] = [];
  const server = await startSimServer(profile(extra), { truth: (r) => truth.push(r) });
  return { server, truth };
}
export type Sim = Awaited<ReturnType<typeof startWithTruth>>;

/** The truth record of the latest request (the log is written when the response is over). */
export async function latestTruth(sim: Sim, count: number): Promise<TruthRecord> {
  for (let i = 0; i < 100 && sim.truth.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(sim.truth).toHaveLength(count);
  return sim.truth[count - 1]!;
}
