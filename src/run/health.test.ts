import { describe, expect, it } from "vitest";
import type { PlanTarget } from "../config/plan.js";
import type { RequestSample } from "../record/request-sample.js";
import type { ServerInfo } from "../providers/server-info.js";
import { FailureLog, serverMessage } from "./failure-log.js";
import { hintFor, type HintContext } from "./health-hints.js";
import { createFailFast, judgeHealth } from "./health.js";

const target = (over: Partial<PlanTarget> = {}): PlanTarget =>
  ({
    name: "t",
    provider: "openai-chat",
    baseUrl: "http://127.0.0.1:8000/v1",
    model: "llama-3-typo",
    headers: {},
    params: {},
    stream: true,
    timeouts: { connectMs: 5_000, firstTokenMs: 500, totalMs: 300_000 },
    pricing: {},
    ...over,
  }) as PlanTarget;

function context(t: PlanTarget, info?: ServerInfo): HintContext & { asked: number } {
  const ctx = {
    target: t,
    displayUrl: t.provider === "sim" ? "http://127.0.0.1:1/v1" : t.baseUrl,
    asked: 0,
    serverInfo: () => {
      ctx.asked++;
      return Promise.resolve(info);
    },
  };
  return ctx;
}

function failed(kind: string, message: string, status?: number, phase = "quality"): RequestSample {
  return {
    target: "t",
    phase,
    startUs: 0,
    dispatchDelayUs: 0,
    itlGapsUs: [],
    outputTokens: 0,
    outputTokensEstimated: false,
    chunks: 0,
    ok: false,
    failure: { kind, message, ...(status !== undefined ? { status } : {}) } as RequestSample["failure"],
    endUs: 1,
  };
}

describe("serverMessage: the server's own words", () => {
  it.each([
    [
      'HTTP 404: {"error":{"message":"The model `llama-3-typo` does not exist.","type":"invalid_request_error"}}',
      "The model `llama-3-typo` does not exist.",
    ],
    [
      'HTTP 404: {"error":"model \\"x\\" not found, try pulling it first"}',
      'model "x" not found, try pulling it first',
    ],
    ['HTTP 422: {"detail":[{"msg":"field required"}]}', "field required"],
    ["HTTP 401: Unauthorized\n\n", "Unauthorized"],
    ["HTTP 500", "(empty body)"],
    ["first-token timeout after 500 ms", "first-token timeout after 500 ms"],
  ])("%s -> %s", (message, expected) => {
    expect(serverMessage(message)).toBe(expected);
  });

  it("cuts a long body to 200 characters", () => {
    const text = serverMessage(`HTTP 502: <html>${"x".repeat(1000)}</html>`);
    expect(text).toHaveLength(200);
    expect(text.endsWith("…")).toBe(true);
  });
});

describe("hintFor", () => {
  it.each<[string, PlanTarget, [string, string, number?], RegExp]>([
    [
      "401 with a key",
      target({ apiKey: "k" }),
      ["http_4xx", "HTTP 401: bad key", 401],
      /check api_key of target t/,
    ],
    ["403 without a key", target(), ["http_4xx", "HTTP 403: no", 403], /sends no key: set its api_key/],
    [
      "404 on a path without /v1",
      target({ baseUrl: "http://127.0.0.1:8000" }),
      ["http_4xx", "HTTP 404: no route", 404],
      /add \/v1 to base_url \(http:\/\/127\.0\.0\.1:8000\/v1\)/,
    ],
    [
      "first-token timeout",
      target(),
      ["timeout", "first-token timeout after 500 ms"],
      /^no first token within timeouts\.first_token \(500ms\): raise it on target t, e\.g\. timeouts: \{ first_token: 2s \}$/,
    ],
    ["undici's headers timeout", target(), ["timeout", "Headers Timeout Error"], /timeouts\.first_token/],
    [
      "total timeout",
      target(),
      ["timeout", "total timeout after 300000 ms"],
      /timeouts\.total \(300s\): raise it on target t/,
    ],
    ["refused connection", target(), ["connect", "cannot connect (ECONNREFUSED)"], /is the server up/],
  ])("%s", async (_name, t, [kind, message, status], hint) => {
    const f = { kind, message, count: 1, ...(status !== undefined ? { status } : {}) } as Parameters<
      typeof hintFor
    >[0];
    expect(await hintFor(f, context(t))).toMatch(hint);
  });

  it("404 for the model lists the models the server lists, asking the server only then", async () => {
    const ctx = context(target(), {
      route: "/models",
      status: 200,
      models: ["llama-3", "qwen"],
      versioned: false,
    });
    const f = { kind: "http_4xx" as const, status: 404, count: 3, message: "The model does not exist." };
    expect(await hintFor(f, ctx)).toBe(
      'the server does not list model "llama-3-typo": GET /v1/models lists llama-3, qwen',
    );
    expect(ctx.asked).toBe(1);
    const unauthorised = context(target());
    await hintFor({ ...f, status: 401 }, unauthorised);
    expect(unauthorised.asked).toBe(0);
  });

  it("404 when the server has no model list names what to check", async () => {
    const ctx = context(target(), { route: "/models", status: 404, versioned: false, error: "HTTP 404" });
    const hint = await hintFor({ kind: "http_4xx", status: 404, count: 1, message: "x" }, ctx);
    expect(hint).toBe(
      'check model ("llama-3-typo") and base_url (http://127.0.0.1:8000/v1); GET /v1/models gave HTTP 404',
    );
  });
});

describe("judgeHealth", () => {
  it("names each phase without a successful request, with its failures most frequent first", async () => {
    const log = new FailureLog();
    for (let i = 0; i < 3; i++)
      log.observe(failed("http_4xx", 'HTTP 401: {"error":{"message":"Invalid key"}}', 401));
    log.observe(failed("timeout", "first-token timeout after 500 ms"));
    log.observe(failed("http_5xx", "HTTP 500: boom", 500, "steady:synchronous"));
    const t = target({ apiKey: "k" });
    const health = await judgeHealth(
      [
        { target: "t", phase: "quality", recordedAs: ["quality"], requests: 4, successes: 0 },
        { target: "t", phase: "steady", recordedAs: ["steady:synchronous"], requests: 1, successes: 0 },
        { target: "t", phase: "fine", recordedAs: ["fine"], requests: 5, successes: 5 },
        { target: "t", phase: "cached", recordedAs: ["quality"], requests: 0, successes: 3 },
        { target: "t", phase: "never-ran", recordedAs: ["never-ran"], requests: 0, successes: 0 },
      ],
      log,
      new Map([["t", context(t)]]),
    );
    expect(health.ok).toBe(false);
    expect(health.checked).toBe(4);
    expect(health.problems.map((p) => [p.phase, p.kind, p.reason])).toEqual([
      ["quality", "no_success", "no successful request (4 of 4 failed)"],
      ["steady", "no_success", "no successful request (1 of 1 failed)"],
    ]);
    expect(health.problems[0]!.errors).toEqual([
      {
        kind: "http_4xx",
        status: 401,
        count: 3,
        message: "Invalid key",
        hint: "the server refused the key: check api_key of target t",
      },
      expect.objectContaining({ kind: "timeout", count: 1, message: "first-token timeout after 500 ms" }),
    ]);
    expect(health.problems[1]!.errors).toEqual([
      expect.objectContaining({ kind: "http_5xx", status: 500, message: "boom" }),
    ]);
  });

  it("is ok when every phase had a success, and a fail_fast stop is a problem even so", async () => {
    const ok = await judgeHealth(
      [{ target: "t", phase: "quality", recordedAs: ["quality"], requests: 2, successes: 1 }],
      new FailureLog(),
      new Map(),
    );
    expect(ok).toEqual({ ok: true, checked: 1, problems: [] });
    const stopped = await judgeHealth(
      [
        {
          target: "t",
          phase: "p",
          recordedAs: ["p"],
          requests: 20,
          successes: 0,
          failedFast: "fail_fast: why",
        },
      ],
      new FailureLog(),
      new Map(),
    );
    expect(stopped.problems).toEqual([
      { target: "t", phase: "p", kind: "fail_fast", requests: 20, reason: "fail_fast: why", errors: [] },
    ]);
  });
});

describe("createFailFast", () => {
  const e401 = failed("http_4xx", "HTTP 401", 401);
  const e404 = failed("http_4xx", "HTTP 404", 404);
  const e408 = failed("http_4xx", "HTTP 408", 408);
  const good = { ...e401, ok: true, failure: undefined } as RequestSample;

  it("trips on the n-th request when all n were non-retryable 4xx, naming the statuses", () => {
    const ff = createFailFast(3);
    expect(ff.observe(e401)).toBeUndefined();
    expect(ff.observe(e404)).toBeUndefined();
    expect(ff.observe(e401)).toBe(
      "fail_fast: stopped after its first 3 requests all failed with HTTP 401, HTTP 404",
    );
  });

  it.each([
    ["a success among them", [e401, good, e401]],
    ["a retryable 408 among them", [e401, e408, e401]],
    ["a 5xx among them", [e401, failed("http_5xx", "HTTP 500", 500), e401]],
  ])("never trips with %s, nor later", (_name, first) => {
    const ff = createFailFast(3);
    for (const s of first) expect(ff.observe(s)).toBeUndefined();
    for (let i = 0; i < 10; i++) expect(ff.observe(e401)).toBeUndefined();
  });

  it("is off when n is undefined (fail_fast: false)", () => {
    const ff = createFailFast(undefined);
    for (let i = 0; i < 50; i++) expect(ff.observe(e401)).toBeUndefined();
  });
});
