import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  runCli,
  startSimProcess,
  tempDir,
  readJsonLines,
  writeTemp,
  type CliResult,
  type SimProcess,
} from "./helpers/cli.js";

/** One span as OTLP/HTTP JSON carries it (the fields these tests read). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
  events?: Array<{ name: string; timeUnixNano: string | number }>;
  status?: { code?: number; message?: string };
}

interface Receiver {
  url: string;
  spans: OtlpSpan[];
  headers: http.IncomingHttpHeaders[];
  resources: unknown[];
  /** When each export call reached the receiver (epoch µs). */
  arrivalsUs: number[];
  close(): Promise<void>;
}

/**
 * An OTLP/HTTP trace receiver, as a collector is: POST /v1/traces with a JSON
 * ExportTraceServiceRequest. It decodes what the exporter sent, or answers `status` to all of it.
 */
async function startReceiver(status = 200): Promise<Receiver> {
  const spans: OtlpSpan[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const resources: unknown[] = [];
  const arrivalsUs: number[] = [];
  const server = http.createServer((req, res) => {
    arrivalsUs.push((performance.timeOrigin + performance.now()) * 1000);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      headers.push(req.headers);
      if (status !== 200 || req.url !== "/v1/traces") {
        res.writeHead(status === 200 ? 404 : status, { "content-type": "application/json" });
        res.end("{}");
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans: Array<{ resource: unknown; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
      };
      for (const rs of body.resourceSpans) {
        resources.push(rs.resource);
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    headers,
    resources,
    arrivalsUs,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string): unknown => {
  const v = span.attributes?.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if ("intValue" in v) return Number(v.intValue);
  if ("arrayValue" in v)
    return (v.arrayValue as { values: Array<{ stringValue: string }> }).values.map((x) => x.stringValue);
  return Object.values(v)[0];
};

/** Epoch microseconds from OTLP's nanoseconds (a decimal string, exact as BigInt). */
const us = (nanos: string | number) => Number(BigInt(nanos) / 1000n);

/** The requests.ndjson fields these tests compare spans with. */
interface NdjsonLine {
  target: string;
  phase: string;
  request_id: string;
  start_us: number;
  elapsed_ms: number;
  ttft_ms?: number;
  ok: boolean;
}

const ndjson = (dir: string) => readJsonLines<NdjsonLine>(path.join(dir, "requests.ndjson"));

describe("--otlp: one span per request to an OTLP/HTTP receiver", () => {
  let sim: SimProcess;
  let receiver: Receiver;
  let dir: string;
  let cli: CliResult;

  beforeAll(async () => {
    dir = await tempDir();
    sim = await startSimProcess(["--ttft-ms", "20", "--itl-ms", "2", "--output-tokens", "8"]);
    receiver = await startReceiver();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: otlp
targets:
  up: { provider: openai-chat, base_url: "${sim.url}", model: m-up }
  flaky: { provider: sim, model: m-flaky, sim: { ttft_ms: 5, output_tokens: 4, faults: { http_500: 0.4 } } }
prompts: { p: "hello" }
cases:
  - { id: a, prompt: p, assert: [{ contains: "x" }] }
  - { id: b, prompt: p }
load:
  - { name: steady, concurrency: 4, requests: 60 }
fail_fast: false
export:
  otlp:
    url: "http://127.0.0.1:1"
    headers: { authorization: "Bearer \${OTLP_TOKEN}" }
`,
    );
    // --otlp replaces the suite's URL and keeps its headers.
    cli = await runCli(["run", suite, "--out", path.join(dir, "out"), "--otlp", receiver.url], {
      env: { OTLP_TOKEN: "tok-otlp-secret-9f8e7d" },
      timeoutMs: 60_000,
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await receiver?.close();
  });

  it("sends exactly one span per line of requests.ndjson, each under the run span", async () => {
    const lines = await ndjson(path.join(dir, "out"));
    const run = receiver.spans.filter((s) => s.name.startsWith("gauntlet run"));
    const requests = receiver.spans.filter((s) => !s.name.startsWith("gauntlet run"));
    expect(run).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(120);
    expect(requests).toHaveLength(lines.length);
    expect(new Set(requests.map((s) => attr(s, "gauntlet.request_id")))).toEqual(
      new Set(lines.map((l) => l.request_id)),
    );
    for (const s of requests) {
      expect(s.parentSpanId).toBe(run[0]!.spanId);
      expect(s.traceId).toBe(run[0]!.traceId);
    }
    expect(attr(run[0]!, "gauntlet.requests")).toBe(lines.length);
  });

  it("sends nothing while a request is in flight: spans leave between phases, off the measured path", async () => {
    const lines = await ndjson(path.join(dir, "out"));
    expect(receiver.arrivalsUs.length).toBeGreaterThan(0);
    // 1 ms either side for the two processes' clocks.
    const during = receiver.arrivalsUs.filter((at) =>
      lines.some((l) => at > l.start_us + 1_000 && at < l.start_us + l.elapsed_ms * 1000 - 1_000),
    );
    expect(during).toEqual([]);
  });

  it("gives each span the request's own times: start, end and first token as requests.ndjson has them", async () => {
    const byId = new Map((await ndjson(path.join(dir, "out"))).map((l) => [l.request_id, l]));
    for (const s of receiver.spans.filter((x) => !x.name.startsWith("gauntlet run"))) {
      const line = byId.get(String(attr(s, "gauntlet.request_id")));
      if (!line) throw new Error(`span ${s.spanId} matches no request`);
      // requests.ndjson rounds to whole microseconds.
      expect(Math.abs(us(s.startTimeUnixNano) - line.start_us)).toBeLessThanOrEqual(1);
      const elapsedUs = us(s.endTimeUnixNano) - us(s.startTimeUnixNano);
      expect(Math.abs(elapsedUs - Math.max(0, line.elapsed_ms * 1000))).toBeLessThanOrEqual(2);
      expect(attr(s, "gauntlet.ok")).toBe(line.ok);
      if (line.ttft_ms === undefined) {
        expect(s.events ?? []).toEqual([]);
      } else {
        expect(attr(s, "gauntlet.ttft_ms")).toBeCloseTo(line.ttft_ms, 3);
        const first = s.events?.find((e) => e.name === "first_token");
        if (!first) throw new Error(`span ${s.spanId} has no first_token event`);
        expect(
          Math.abs(us(first.timeUnixNano) - us(s.startTimeUnixNano) - line.ttft_ms * 1000),
        ).toBeLessThanOrEqual(2);
      }
      expect(attr(s, "gauntlet.phase")).toBe(line.phase);
      expect(attr(s, "gauntlet.target")).toBe(line.target);
    }
  });

  it("speaks the GenAI conventions and marks failures as errors", () => {
    const requests = receiver.spans.filter((s) => !s.name.startsWith("gauntlet run"));
    const up = requests.filter((s) => attr(s, "gauntlet.target") === "up");
    const flaky = requests.filter((s) => attr(s, "gauntlet.target") === "flaky");
    expect(up.length).toBeGreaterThan(0);
    expect(flaky.filter((s) => attr(s, "gauntlet.phase") === "steady")).toHaveLength(60);
    for (const s of up) {
      expect(s.name).toBe("chat m-up");
      expect(attr(s, "gen_ai.operation.name")).toBe("chat");
      expect(attr(s, "gen_ai.provider.name")).toBe("openai");
      expect(attr(s, "gen_ai.request.model")).toBe("m-up");
      expect(attr(s, "gen_ai.usage.output_tokens")).toBe(8);
      expect(attr(s, "gen_ai.response.finish_reasons")).toEqual(["stop"]);
      expect(s.status?.code ?? 0).not.toBe(2);
    }
    expect(up.filter((s) => attr(s, "gauntlet.phase") === "steady")).toHaveLength(60);
    const quality = up.filter((s) => attr(s, "gauntlet.case_id") !== undefined);
    expect(new Set(quality.map((s) => attr(s, "gauntlet.case_id")))).toEqual(new Set(["a", "b"]));
    const failed = flaky.filter((s) => attr(s, "gauntlet.ok") === false);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(flaky.length);
    for (const s of failed) {
      expect(s.status?.code).toBe(2);
      expect(s.status?.message).toMatch(/^http_5xx: /);
      expect(attr(s, "error.type")).toBe("http_5xx");
      expect(attr(s, "http.response.status_code")).toBe(500);
    }
    for (const s of flaky.filter((x) => attr(x, "gauntlet.ok") === true)) expect(s.status?.code ?? 0).toBe(0);
    expect(receiver.resources.length).toBeGreaterThan(0);
    expect(JSON.stringify(receiver.resources[0])).toContain('"gauntlet"');
  });

  it("sends the suite's headers to the receiver and never shows the key in any output", async () => {
    expect(receiver.headers.every((h) => h.authorization === "Bearer tok-otlp-secret-9f8e7d")).toBe(true);
    const out = path.join(dir, "out");
    const files = ["run.json", "summary.md", "report.html", "requests.ndjson"];
    const texts = [
      cli.stdout,
      cli.stderr,
      ...(await Promise.all(files.map((f) => readFile(path.join(out, f), "utf8")))),
    ];
    for (const t of texts) expect(t).not.toContain("otlp-secret");
    expect(JSON.stringify(receiver.spans)).not.toContain("otlp-secret");
  });
});

describe("an OTLP receiver that refuses or is missing", () => {
  let sim: SimProcess;
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    sim = await startSimProcess(["--ttft-ms", "5", "--output-tokens", "4"]);
  });
  afterAll(async () => sim?.stop());

  const suiteWith = (url: string) =>
    writeTemp(
      dir,
      `suite-${url.replace(/\W/g, "")}.yaml`,
      `version: 1
name: otlp-down
targets: { t: { provider: openai-chat, base_url: "${sim.url}", model: m } }
prompts: { p: "hello" }
cases: [{ id: a, prompt: p }]
load: [{ name: l, concurrency: 2, requests: 10 }]
export: { otlp: { url: "${url}" } }
`,
    );

  it("says how many spans were not delivered and why, and the run's own verdict stands", async () => {
    const refusing = await startReceiver(400);
    try {
      const suite = await suiteWith(refusing.url);
      const r = await runCli(["run", suite, "--out", path.join(dir, "refused")], { timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(
        /OTLP export: 12 of 12 spans not delivered to http:\/\/127\.0\.0\.1:\d+\/v1\/traces/,
      );
      expect(await ndjson(path.join(dir, "refused"))).toHaveLength(11);
    } finally {
      await refusing.close();
    }
  });

  it("rejects an --otlp that is not an http(s) URL before anything is sent (exit 2)", async () => {
    const suite = await suiteWith("http://127.0.0.1:9");
    const r = await runCli(["run", suite, "--out", path.join(dir, "bad"), "--otlp", "ftp://collector"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--otlp expects an http:// or https:// OTLP endpoint");
  });
});
