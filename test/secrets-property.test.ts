import fc from "fast-check";
import { readdir, readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";
import { startTruthServer } from "./helpers/truth-server.js";

// Secrets never leak, not whole and not in part: a server echoes the API key in answers and error
// bodies, placed so that every cut Gauntlet makes (80-character quotes, the 300-character error
// body, the 4096-byte read cap, the snippet of a page that is not a stream) falls inside it, and
// the key holds every character JSON, CSV, XML, HTML and Markdown escape. No output may hold the
// key or any 6-character piece of it, raw or in any of those escapings.

/** Every character some output format escapes or gives meaning to (none a header forbids). */
const SPECIALS = [...`"\\&<>'|,;*_[]#\`~!{}=:/`];
const ALNUM = [..."ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"];

/** Special and random alphanumeric characters alternate: any 6 characters of it are its own, never a format's. */
const secretArb = fc
  .array(fc.tuple(fc.constantFrom(...SPECIALS), fc.constantFrom(...ALNUM)), { minLength: 12, maxLength: 20 })
  .map((pairs) => "sk" + pairs.map(([s, a]) => s + a).join(""));

/** Where each echo puts the key: padding that lands a cut inside it. */
const layoutArb = fc.record({
  quote: fc.integer({ min: 60, max: 79 }),
  body: fc.integer({ min: 270, max: 299 }),
  cap: fc.integer({ min: 4070, max: 4095 }),
  page: fc.integer({ min: 95, max: 119 }),
});

const pad = (n: number) => "-".repeat(n);

/** The forms a piece of text takes in each output format. */
const FORMS: Array<(s: string) => string> = [
  (s) => s,
  (s) => JSON.stringify(s).slice(1, -1),
  (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
  (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"),
  (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|"),
  (s) => s.replace(/"/g, '""'),
];

/** Every 6-character piece of the secret, in every form, and the whole secret in every form. */
function needles(secret: string): string[] {
  const pieces = [secret];
  for (let i = 0; i + 6 <= secret.length; i++) pieces.push(secret.slice(i, i + 6));
  return [...new Set(pieces.flatMap((p) => FORMS.map((f) => f(p))))];
}

/** Every output of a run, named: its stdout and stderr, `extra`, and each file in `out`. */
async function outputsOf(
  run: { stdout: string; stderr: string },
  out: string,
  extra: Array<[string, string]> = [],
): Promise<Array<[string, string]>> {
  const texts: Array<[string, string]> = [["stdout", run.stdout], ["stderr", run.stderr], ...extra];
  for (const f of await readdir(out)) texts.push([f, await readFile(path.join(out, f), "utf8")]);
  return texts;
}

/** No output holds any of `secrets`, whole or by any 6-character piece, in any form (see needles). */
function expectNoPiece(secrets: readonly string[], texts: Array<[string, string]>): void {
  for (const secret of secrets)
    for (const needle of needles(secret))
      for (const [name, text] of texts) expect(text.includes(needle), `${name} holds ${needle}`).toBe(false);
}

function sse(res: ServerResponse, content: string): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  // Two chunks, split inside the key: the answer is whole only once joined.
  const half = Math.floor(content.length / 2);
  for (const part of [content.slice(0, half), content.slice(half)])
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: part } }] })}\n\n`);
  res.end("data: [DONE]\n\n");
}

describe("a secret echoed by the server", () => {
  it("appears in no output, whole or by any 6-character piece, raw or escaped", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, layoutArb, async (secret, at) => {
        const server = await startTruthServer({
          answer: (body, res) => {
            const word = /say (\w+)/.exec(body)?.[1];
            const key = `${secret} and more`;
            if (word === "answer") sse(res, pad(at.quote) + key);
            else if (word === "json") sse(res, JSON.stringify({ k: pad(at.quote - 10) + secret }));
            else if (word === "error") {
              res.writeHead(500, { "content-type": "text/plain" });
              res.end(pad(at.body) + key);
            } else if (word === "huge") {
              res.writeHead(503, { "content-type": "text/plain" });
              res.end(pad(at.cap) + key + pad(2000));
            } else if (word === "page") {
              res.writeHead(200, { "content-type": "text/html" });
              res.end(`<p>${pad(at.page)}${key}</p>`);
            } else return false;
            return true;
          },
        });
        try {
          const dir = await tempDir();
          const out = path.join(dir, "out");
          const words = ["answer", "json", "error", "huge", "page"];
          const suite = await writeTemp(
            dir,
            "suite.yaml",
            `version: 1
name: secrets
targets:
  t: { provider: openai-chat, base_url: "${server.url}", model: m, api_key: "\${PLANTED_KEY}" }
prompts: { q: "say {{w}}" }
cases:
${words.map((w) => `  - { id: ${w}, prompt: q, vars: { w: ${w} }, assert: [{ contains: "zzz" }, { equals: "\${PLANTED_KEY}" }, { json-path: { path: "$.k", equals: 1 } }] }`).join("\n")}
quality: { retries: 0 }
load:
  - { name: p, concurrency: 2, requests: 10 }
thresholds: { "quality.pass_rate": ">= 0.9" }
`,
          );
          const stepSummary = path.join(dir, "step-summary.md");
          const env = {
            PLANTED_KEY: secret,
            GITHUB_ACTIONS: "true",
            GITHUB_STEP_SUMMARY: stepSummary,
            CI: "1",
          };
          const run = await runCli(["run", suite, "--out", out, "--no-cache"], { env });
          expect(run.code, run.stderr).toBe(99);
          // Every request carried the key, and the server echoed it.
          expect(server.log.length).toBeGreaterThan(10);
          const texts = await outputsOf(run, out, [["step summary", await readFile(stepSummary, "utf8")]]);
          // The reports did get the echoes, redacted rather than dropped.
          expect(texts.map(([, t]) => t).join("\n")).toContain("***");
          expectNoPiece([secret], texts);
        } finally {
          await server.close();
        }
      }),
      { seed: 16, numRuns: 5 },
    );
  }, 240_000);
});

describe("a key written into the suite itself, not from ${VAR}", () => {
  it("is a secret too: a server echoing the api_key, an x-api-key or a bearer token puts none of it in any output", async () => {
    const apiKey = "sk-Q7w&x<9zK2vR#mW5";
    const headerKey = 'hk-M4n"p5rT8yL;E6';
    const token = "tk-B3c'd6fG1hJ|N9";
    const server = await startTruthServer({
      answer: (_body, res, req) => {
        // Whatever credential came with the request, echoed as an auth server's error does.
        const got = [req.headers.authorization, req.headers["x-api-key"]].filter(Boolean).join(" ");
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `invalid credential: ${got}` } }));
        return true;
      },
    });
    try {
      const dir = await tempDir();
      const out = path.join(dir, "out");
      const suite = await writeTemp(
        dir,
        "suite.yaml",
        `version: 1
name: echoed-keys
targets:
  a: { provider: openai-chat, base_url: "${server.url}", model: m, api_key: ${JSON.stringify(apiKey)} }
  b: { provider: openai-chat, base_url: "${server.url}", model: m, headers: { x-api-key: ${JSON.stringify(headerKey)} } }
  c: { provider: openai-chat, base_url: "${server.url}", model: m, headers: { authorization: ${JSON.stringify(`Bearer ${token}`)} } }
prompts: { q: "hi" }
cases:
  - { id: one, prompt: q }
quality: { retries: 0 }
load:
  - { name: p, concurrency: 2, requests: 4 }
fail_fast: false
`,
      );
      const run = await runCli(["run", suite, "--out", out, "--no-cache"], { env: { CI: "1" } });
      // Every request failed on its credential: the run says so, and it was told the keys.
      expect(run.code, run.stderr).toBe(3);
      expect(server.log.length).toBe(15);
      const texts = await outputsOf(run, out);
      expect(texts.map(([, t]) => t).join("\n")).toContain("invalid credential: ***");
      expectNoPiece([apiKey, headerKey, token], texts);
    } finally {
      await server.close();
    }
  }, 60_000);
});
