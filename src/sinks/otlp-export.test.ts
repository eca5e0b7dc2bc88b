import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { RequestSample } from "../record/request-sample.js";
import { createRedactor } from "../util/redact.js";
import { createOtlpSink } from "./otlp-export.js";

/** A receiver that counts the spans of each export call it is sent, and answers `status`. */
async function receiver(status = 200) {
  const batches: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }>;
      };
      batches.push(
        body.resourceSpans.reduce((n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0), 0),
      );
      res.writeHead(status, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: () => batches.reduce((a, b) => a + b, 0),
    calls: () => batches.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const sample = (i: number): RequestSample => ({
  target: "t",
  phase: "steady",
  requestId: `r-${i}`,
  startUs: 1_700_000_000_000_000 + i * 1000,
  dispatchDelayUs: 0,
  ttftUs: 400,
  e2eUs: 900,
  itlGapsUs: [],
  outputTokens: 2,
  outputTokensEstimated: false,
  inputTokens: 3,
  chunks: 2,
  ok: true,
  finishReason: "stop",
  endUs: 1_700_000_000_000_000 + i * 1000 + 900,
});

/** Resolves once `check` holds, polling; fails the test after 10 s. */
async function until(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("createOtlpSink: spans leave between phases", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function sinkTo(status = 200) {
    const r = await receiver(status);
    close = r.close;
    const lines: string[] = [];
    const sink = createOtlpSink({
      otlp: { url: `${r.url}/v1/traces`, headers: {} },
      targets: new Map([["t", { provider: "openai-chat", model: "m" }]]),
      redact: createRedactor([]),
      say: (l) => lines.push(l),
    });
    await sink.start();
    sink.event({ type: "run_started", suite: "s", targets: ["t"], cases: 0 });
    return { r, sink, lines };
  }

  it("holds a phase's requests until it ends, then sends them all before the next phase starts", async () => {
    const { r, sink, lines } = await sinkTo();
    sink.event({ type: "target_started", target: "t", phase: "steady" });
    for (let i = 0; i < 600; i++) sink.event({ type: "request_finished", sample: sample(i) });
    // Flushing during a phase sends nothing either.
    sink.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.calls()).toBe(0);
    sink.event({ type: "target_finished", target: "t", phase: "steady" });
    await sink.settle?.();
    // Delivered by the time settle returns: 600 in two batches of at most 512.
    expect(r.spans()).toBe(600);
    expect(r.calls()).toBe(2);
    // Closing ends the run span, which is sent last.
    await sink.close();
    expect(r.spans()).toBe(601);
    expect(lines).toEqual([]);
  });

  it("sends in the phase, 8,192 at a time, when a phase outgrows what it may hold", async () => {
    const { r, sink } = await sinkTo();
    sink.event({ type: "target_started", target: "t", phase: "soak" });
    for (let i = 0; i < 8_191; i++) sink.event({ type: "request_finished", sample: sample(i) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.calls()).toBe(0);
    sink.event({ type: "request_finished", sample: sample(8_191) });
    await until(() => r.spans() === 8_192);
    sink.event({ type: "request_finished", sample: sample(8_192) });
    sink.event({ type: "target_finished", target: "t", phase: "soak" });
    await sink.settle?.();
    expect(r.spans()).toBe(8_193);
    await sink.close();
  });

  it("sends nothing more to a collector that refused a batch, and counts the rest as not delivered", async () => {
    const { r, sink, lines } = await sinkTo(400);
    sink.event({ type: "target_started", target: "t", phase: "first" });
    for (let i = 0; i < 10; i++) sink.event({ type: "request_finished", sample: sample(i) });
    sink.event({ type: "target_finished", target: "t", phase: "first" });
    await sink.settle?.();
    expect(r.calls()).toBe(1);
    sink.event({ type: "target_started", target: "t", phase: "second" });
    for (let i = 10; i < 20; i++) sink.event({ type: "request_finished", sample: sample(i) });
    sink.event({ type: "target_finished", target: "t", phase: "second" });
    await sink.settle?.();
    await sink.close();
    // The second phase's spans and the run's were never sent, and the closing line counts all 21.
    expect(r.calls()).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/21 of 21 spans not delivered/);
  });
});
