import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";

/**
 * A base_url's query string (Azure's ?api-version=) and user:password used to be dropped without a
 * word. A real server on 127.0.0.1 records what each request carried: the query string on every
 * path, the credentials as Basic auth; no output shows the password or a secret query value.
 */
const seen: Array<{ url: string; authorization?: string }> = [];
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({
      url: req.url ?? "",
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: "assistant", content: "Paris" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const PASSWORD = "pw-Zq81@x";
const SIG = "sig-value-8c1f2e";

describe("base_url with a query string and credentials", () => {
  it("keeps the query string on every request, sends user:password as Basic auth and shows neither", async () => {
    const dir = await tempDir();
    const base = `http://alice:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/openai/deployments/d1?api-version=2024-02-01&sig=${SIG}`;
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: azure-like
targets:
  azure: { provider: openai-chat, base_url: "${base}", model: gpt, stream: false }
prompts:
  p: "Capital of {{country}}?"
cases:
  - { id: c1, prompt: p, vars: { country: France }, assert: [{ equals: Paris }] }
  - { id: c2, prompt: p, vars: { country: Japan }, assert: [{ equals: Tokyo }] }
`,
    );
    const out = path.join(dir, "out");
    const r = await runCli(["run", suite, "--only", "quality", "--no-cache", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const basic = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString("base64")}`;
    for (const request of seen) {
      expect(request.url).toBe(`/openai/deployments/d1/chat/completions?api-version=2024-02-01&sig=${SIG}`);
      expect(request.authorization).toBe(basic);
    }
    const validate = await runCli(["validate", suite]);
    expect(validate.code, validate.stderr).toBe(0);
    const outputs = [r.stdout, r.stderr, validate.stdout];
    for (const file of await readdir(out)) outputs.push(await readFile(path.join(out, file), "utf8"));
    for (const text of outputs) {
      for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), SIG, basic.slice(6)])
        expect(text).not.toContain(secret);
    }
  });

  it("refuses user:password together with api_key, at the base_url's line", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1\nname: both\ntargets:\n  t:\n    provider: openai-chat\n    model: m\n    base_url: http://u:p@127.0.0.1:1/v1\n    api_key: k\n`,
    );
    const r = await runCli(["validate", suite]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${suite}:7:15: targets.t.base_url: base_url has a user:password and the target sets api_key`,
    );
  });
});
