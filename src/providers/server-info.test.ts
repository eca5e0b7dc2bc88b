import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimProfileSchema } from "../sim/profile.js";
import { startSimServer, type SimServer } from "../sim/server.js";
import { PROVIDERS } from "./registry.js";
import type { ProviderKind } from "./kinds.js";
import { fetchServerInfo, OPENAI_MODELS } from "./server-info.js";

const timeouts = { connectMs: 2_000, firstTokenMs: 5_000, totalMs: 5_000 };

function provider(kind: ProviderKind, baseUrl: string, model: string) {
  return PROVIDERS[kind]({ baseUrl, model, headers: {}, timeouts, connections: 1 });
}

describe("serverInfo against the simulator's description routes", () => {
  let sim: SimServer;
  let degraded: SimServer;
  const profile = SimProfileSchema.parse({ model: "toy-1" });
  beforeAll(async () => {
    sim = await startSimServer(profile);
    degraded = await startSimServer({ ...profile, degrade: 0.5 });
  });
  afterAll(async () => {
    await sim.close();
    await degraded.close();
  });
  const origin = (s: SimServer) => s.url.replace(/\/v1$/, "");

  it.each([
    ["openai-chat", "/models", (s: SimServer) => s.url, ["id", "owned_by", "root", "max_model_len"]],
    ["openai-completions", "/models", (s: SimServer) => s.url, ["id", "root"]],
    ["ollama", "/api/tags", origin, ["name", "digest", "modified_at"]],
    ["ollama-generate", "/api/tags", origin, ["name", "digest"]],
    ["tgi", "/info", origin, ["model_id", "model_sha"]],
  ] as const)("%s reads %s: the models listed and a versioned identity", async (kind, route, url, fields) => {
    const a = await provider(kind, url(sim), "toy-1").serverInfo(2_000);
    expect(a).toMatchObject({ route, status: 200, models: ["toy-1"], versioned: true });
    for (const f of fields) expect(a.identity).toHaveProperty(f);
    // Another profile behind the same model name is another version: the identity differs.
    const b = await provider(kind, url(degraded), "toy-1").serverInfo(2_000);
    expect(b.identity).not.toEqual(a.identity);
  });

  it("names no identity for a model the server does not list, but still lists its models", async () => {
    const info = await provider("openai-chat", sim.url, "llama-3-typo").serverInfo(2_000);
    expect(info.models).toEqual(["toy-1"]);
    expect(info.identity).toBeUndefined();
    expect(info.versioned).toBe(false);
  });

  it("reports a missing route with its status, never rejecting", async () => {
    const info = await provider("openai-chat", origin(sim), "toy-1").serverInfo(2_000);
    expect(info).toMatchObject({ route: "/models", status: 404, versioned: false, error: "HTTP 404" });
  });
});

describe("fetchServerInfo against an independent server", () => {
  let server: Server;
  let base = "";
  /** The `created` it answers: a number, or "now" (the time of each answer, as vLLM stamps it). */
  let created: number | "now" = 0;
  let asked = 0;
  let stall = false;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (stall) return; // never answers
      asked++;
      const stamp = created === "now" ? Math.floor(Date.now() / 1000) : created;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          data: [{ id: "m", created: stamp, permission: [{ id: `perm-${Math.random()}` }] }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("keys on a deploy time, asking once", async () => {
    stall = false;
    created = 1_700_000_000;
    asked = 0;
    const old = await fetchServerInfo(base, OPENAI_MODELS, {}, "m", 2_000);
    // Random per-answer fields (vLLM's permission ids) are never part of it.
    expect(old.identity).toEqual({ id: "m", created: 1_700_000_000 });
    expect(old.versioned).toBe(true);
    expect(asked).toBe(1);
  });

  it("leaves out a created that is the time of each answer (vLLM's), asking again a second later", async () => {
    created = "now";
    asked = 0;
    const now = await fetchServerInfo(base, OPENAI_MODELS, {}, "m", 2_000);
    expect(now.identity).toEqual({ id: "m" });
    expect(now.versioned).toBe(false);
    expect(asked).toBe(2);
  });

  it("keeps the created of a server started a moment ago, which holds on the second ask", async () => {
    created = Math.floor(Date.now() / 1000);
    const recent = await fetchServerInfo(base, OPENAI_MODELS, {}, "m", 2_000);
    expect(recent.identity).toEqual({ id: "m", created });
    expect(recent.versioned).toBe(true);
  });

  it("gives up within its timeout on a server that never answers", async () => {
    stall = true;
    const started = Date.now();
    const info = await fetchServerInfo(base, OPENAI_MODELS, {}, "m", 300);
    expect(info.error).toBeDefined();
    expect(info.versioned).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
