import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RequestSample } from "../record/request-sample.js";
import { renderRequestLine } from "../report/request-line.js";
import { createRequestsFileSink } from "./requests-file.js";
import { createRedactor, NO_SECRETS } from "../util/redact.js";

const sample = (n: number, caseId?: string): RequestSample => ({
  target: "t",
  phase: "p",
  ...(caseId ? { caseId } : {}),
  startUs: n * 1000,
  dispatchDelayUs: 10,
  ttftUs: 2000 + n,
  e2eUs: 5000 + n,
  itlGapsUs: [100, 200],
  outputTokens: 3,
  outputTokensEstimated: false,
  chunks: 3,
  ok: true,
  endUs: n * 1000 + 5000,
});

describe("createRequestsFileSink", () => {
  it("writes one redacted line per finished request, in order, and nothing for other events", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-requests-"));
    const file = path.join(dir, "requests.ndjson");
    const redact = createRedactor(["sk-secret"]);
    const sink = createRequestsFileSink(file, redact);
    await sink.start();
    const outcome = {
      caseId: "c1",
      target: "t",
      prompt: { name: "p", version: 1 },
      output: "my key is sk-secret",
      score: 1,
      pass: true,
      assertions: [],
      outputTokens: 3,
    };
    sink.event({ type: "run_started", suite: "s", targets: ["t"], cases: 1 });
    sink.event({ type: "request_finished", sample: sample(1, "c1"), outcome });
    sink.event({ type: "warning", message: "not a request" });
    sink.event({ type: "request_finished", sample: sample(2), warmup: true });
    await sink.close();
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines).toEqual([
      renderRequestLine(sample(1, "c1"), outcome).trimEnd().replace("sk-secret", "***"),
      renderRequestLine(sample(2), undefined, true).trimEnd(),
      "",
    ]);
    expect(lines[0]).toContain('"output":"my key is ***"');
  });

  it("cannot start when the file cannot be created: the run stops before sending anything", async () => {
    const sink = createRequestsFileSink(
      path.join(os.tmpdir(), "no-such-dir-gauntlet", "x", "r.ndjson"),
      NO_SECRETS,
    );
    await expect(sink.start()).rejects.toThrow(/ENOENT/);
  });
});
