import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir, writeTemp } from "./helpers/cli.js";

/**
 * Hosted OpenAI-compatible services, each as README's table says to write its target, against a real
 * server on 127.0.0.1 that answers with the service's recorded stream (fixtures/streams): Azure
 * OpenAI's deployment path, api-version query and api-key header, and its content-filter chunk
 * with no choices; OpenRouter's keep-alive comments, reasoning field and usage on a last chunk.
 */
const STREAMS = path.join(ROOT, "fixtures", "streams");
const ROUTES: Record<string, string> = {
  "/openai/deployments/gpt-4o/chat/completions": "azure-openai-chat.sse",
  "/api/v1/chat/completions": "openrouter-chat.sse",
};

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const seen: Seen[] = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (d: Buffer) => (body += d.toString()));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    seen.push({
      url: req.url ?? "",
      headers: req.headers,
      body: JSON.parse(body || "{}") as Record<string, unknown>,
    });
    const fixture = ROUTES[url.pathname];
    if (!fixture) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"no such route"}}');
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(readFileSync(path.join(STREAMS, fixture)));
  });
});

let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface RunJson {
  quality: {
    cases: Array<{
      target: string;
      output: string;
      outputTokens: number;
      inputTokens?: number;
      error?: string;
    }>;
  };
}

describe("hosted OpenAI-compatible services", () => {
  it("Azure OpenAI and OpenRouter targets, written as the README says, stream and count usage", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: hosted
targets:
  azure:
    provider: openai-chat
    base_url: ${base}/openai/deployments/gpt-4o?api-version=2024-10-21
    model: gpt-4o
    headers: { api-key: \${AZURE_OPENAI_API_KEY} }
  openrouter:
    provider: openai-chat
    base_url: ${base}/api/v1
    model: deepseek/deepseek-r1
    api_key: \${OPENROUTER_API_KEY}
prompts: { ask: "{{q}}" }
cases:
  - { id: capital, prompt: ask, vars: { q: "What is the capital of France?" } }
`,
    );
    const out = path.join(dir, "out");
    const { code, stderr } = await runCli(["run", suite, "--out", out, "--quiet"], {
      env: { AZURE_OPENAI_API_KEY: "azure-secret-123", OPENROUTER_API_KEY: "sk-or-secret-456" },
      timeoutMs: 60_000,
    });
    expect(code, stderr).toBe(0);

    const azure = seen.filter((s) => s.url.startsWith("/openai/"));
    expect(azure.length).toBeGreaterThan(0);
    for (const s of azure) {
      expect(s.url).toBe("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
      expect(s.headers["api-key"]).toBe("azure-secret-123");
      expect(s.headers.authorization).toBeUndefined();
    }
    const openrouter = seen.filter((s) => s.url.startsWith("/api/v1"));
    expect(openrouter.length).toBeGreaterThan(0);
    for (const s of openrouter) expect(s.headers.authorization).toBe("Bearer sk-or-secret-456");

    const text = await readFile(path.join(out, "run.json"), "utf8");
    expect(text).not.toContain("azure-secret-123");
    expect(text).not.toContain("sk-or-secret-456");
    const run = JSON.parse(text) as RunJson;
    const byTarget = new Map(run.quality.cases.map((c) => [c.target, c]));
    // The content-filter chunk with no choices adds nothing; usage comes from the last chunk.
    expect(byTarget.get("azure")).toMatchObject({
      output: "The capital of France is Paris.",
      outputTokens: 7,
      inputTokens: 14,
    });
    // Comments carry nothing; the reasoning is not the answer; usage counts reasoning tokens too.
    expect(byTarget.get("openrouter")).toMatchObject({
      output: "2 + 2 = 4",
      outputTokens: 9,
      inputTokens: 12,
    });
    expect(byTarget.get("azure")?.error).toBeUndefined();
  });
});
