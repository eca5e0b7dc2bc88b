// OTLP: what span export costs. The same 1,000-request phase (0 ms latency, 64 tokens, 64 streams)
// is run without and with --otlp to a receiver in the bench process that decodes every batch, in
// the order without, with, with, without, so neither side always runs on a warmer box. In this
// scenario's rows the "gauntlet" column is with OTLP and the "raw" column without.
import { Buffer } from "node:buffer";
import http from "node:http";
import path from "node:path";
import { readRequests, runGauntlet } from "../gauntlet-client.mjs";
import { startSim } from "../processes.mjs";
import { cpuSecondsBetween, percentile } from "../stats.mjs";

/** An OTLP/HTTP JSON receiver that counts the spans it is sent. */
async function startReceiver() {
  let spans = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      for (const rs of body.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? []) spans += ss.spans.length;
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    take: () => {
      const n = spans;
      spans = 0;
      return n;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** One run's figures over its measured window. */
async function once(simUrl, dir, requests, otlpUrl) {
  const g = await runGauntlet(
    simUrl,
    { name: "otlp", concurrency: 64, requests, synthetic: { input_tokens: 8, output_tokens: 64 } },
    dir,
    120_000,
    otlpUrl ? ["--otlp", otlpUrl] : [],
  );
  const windowS = (g.phase.windowEndUs - g.phase.windowStartUs) / 1e6;
  const delays = await readRequests(g.out, (l) => l.dispatch_delay_ms ?? 0);
  return {
    rps: requests / windowS,
    cpuPerK: (cpuSecondsBetween(g.probe, g.phase.windowStartUs, g.phase.windowEndUs) / requests) * 1000,
    delayP99: percentile(delays, 99),
    lines: delays.length,
  };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** @returns {Promise<object[]>} result rows */
export async function otlp({ dir, quick }) {
  const requests = 1000;
  const pairs = quick ? 1 : 3;
  const sim = await startSim([
    "--ttft-ms",
    "0",
    "--itl-ms",
    "0",
    "--output-tokens",
    "64",
    "--max-batch",
    "4096",
  ]);
  const receiver = await startReceiver();
  const without = [];
  const withOtlp = [];
  let spansShort = 0;
  try {
    for (let i = 0; i < pairs; i++) {
      for (const on of i % 2 === 0 ? [false, true, true, false] : [true, false, false, true]) {
        const r = await once(
          sim.url,
          path.join(dir, `otlp-${i}-${without.length + withOtlp.length}`),
          requests,
          on ? receiver.url : undefined,
        );
        if (on) {
          withOtlp.push(r);
          // One span per request line, plus the run's span.
          spansShort += Math.abs(receiver.take() - (r.lines + 1));
        } else without.push(r);
      }
    }
  } finally {
    await receiver.close();
    await sim.stop();
  }
  const row = (figure, pick, target, pass, digits = 2) => ({
    scenario: `otlp ${requests}`,
    figure,
    gauntlet: mean(withOtlp.map(pick)),
    raw: mean(without.map(pick)),
    target,
    ...(pass === undefined ? {} : { pass }),
    digits,
  });
  // "Nothing measurable": with spans, within 5% of without (this bench's run-to-run spread here).
  const ratio = (pick) => mean(withOtlp.map(pick)) / mean(without.map(pick));
  return [
    row("requests/s (with / without OTLP)", (r) => r.rps, "ratio ≥ 0.95", ratio((r) => r.rps) >= 0.95),
    row(
      "client CPU-s per 1,000 requests (with / without)",
      (r) => r.cpuPerK,
      "ratio ≤ 1.05",
      ratio((r) => r.cpuPerK) <= 1.05,
      3,
    ),
    row("dispatch delay p99 ms (with / without)", (r) => r.delayP99, "(info)"),
    {
      scenario: `otlp ${requests}`,
      figure: "spans missing or extra at the receiver",
      gauntlet: spansShort,
      target: "0",
      pass: spansShort === 0,
      digits: 0,
    },
  ];
}
