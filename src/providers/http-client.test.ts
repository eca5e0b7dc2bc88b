import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { nowUs } from "../util/clock.js";
import { classifyNetworkError, statusKind } from "./http-failures.js";
import { createOpenAiChatProvider } from "./openai-chat.js";
import { startsAsStream } from "./wire.js";
import type { Provider, ProviderEvent, Timeouts } from "./types.js";

/** How long the server thinks before its first byte: the gap the `sent` stamp must fall before. */
const THINK_MS = 60;

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "r1", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** A whole streamed answer: "hi", then stop. */
const ANSWER = chunk({ role: "assistant", content: "hi" }) + chunk({}, "stop") + "data: [DONE]\n\n";

/** Listens on a free port of 127.0.0.1 and returns an openai-chat provider with one connection to `server`. */
async function providerFor(
  server: Server,
  timeouts: Timeouts = { connectMs: 5_000, firstTokenMs: 10_000, totalMs: 10_000 },
): Promise<Provider> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return createOpenAiChatProvider({
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model: "m",
    headers: {},
    timeouts,
    connections: 1,
  });
}

describe("HttpClient's request-sent event (a real provider against a real node:http server)", () => {
  it("stamps `sent` once, after the scheduled start and before the first byte of the answer", async () => {
    const server = createServer((req, res) => {
      req.resume();
      // The whole request has arrived, so the client wrote it: answer only after thinking.
      req.on("end", () => {
        setTimeout(() => {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.end(ANSWER);
        }, THINK_MS);
      });
    });
    const provider = await providerFor(server);
    try {
      const events: ProviderEvent[] = [];
      const scheduledUs = nowUs();
      await provider.send({ messages: [{ role: "user", content: "hello" }], params: {}, stream: true }, (e) =>
        events.push(e),
      );
      expect(events.find((e) => e.type === "failure")).toBeUndefined();
      const sent = events.filter((e) => e.type === "sent");
      expect(sent).toHaveLength(1);
      const content = events.find((e) => e.type === "content");
      expect(content).toMatchObject({ text: "hi" });
      const sentUs = sent[0]!.atUs;
      const firstByteUs = content!.type === "content" ? content!.atUs : Number.NaN;
      expect(sentUs).toBeGreaterThanOrEqual(scheduledUs);
      expect(sentUs).toBeLessThanOrEqual(firstByteUs);
      // Stamped when the request left, not when the answer came: the server's think time lies between.
      expect(firstByteUs - sentUs).toBeGreaterThanOrEqual((THINK_MS - 5) * 1000);
    } finally {
      await provider.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("failure kinds that say what happened", () => {
  it.each([
    [301, "redirect"],
    [302, "redirect"],
    [307, "redirect"],
    [400, "http_4xx"],
    [404, "http_4xx"],
    [429, "http_429"],
    [500, "http_5xx"],
    [503, "http_5xx"],
  ] as const)("HTTP %i is %s", (status, kind) => {
    expect(statusKind(status)).toBe(kind);
  });

  it.each(["EMFILE", "ENFILE", "ENOBUFS", "ENOMEM", "EADDRNOTAVAIL"])(
    "%s is this machine's failure (client_error), not the server's",
    (code) => {
      const err = Object.assign(new Error(`connect ${code}`), { code });
      expect(classifyNetworkError(err, "http://h/v1").kind).toBe("client_error");
    },
  );

  it.each(["ECONNRESET", "EPIPE"])("%s is a dropped stream", (code) => {
    const err = Object.assign(new Error("socket hang up"), { code });
    expect(classifyNetworkError(err, "http://h/v1").kind).toBe("stream_dropped");
  });

  it("a failed request keeps the server's request id; the id it was sent with comes first", async () => {
    const ids: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      ids.push(req.headers["x-request-id"] as string | undefined);
      req.resume();
      req.on("end", () => {
        res.writeHead(503, { "x-amzn-requestid": "amzn-7" });
        res.end("busy");
      });
    });
    const provider = await providerFor(server, { connectMs: 1000, firstTokenMs: 5000, totalMs: 5000 });
    const events: ProviderEvent[] = [];
    await provider.send({ messages: [{ role: "user", content: "hi" }], params: {}, stream: true }, (e) =>
      events.push(e),
    );
    await provider.close();
    server.close();
    expect(events[0]).toEqual({ type: "request_id", id: ids[0] });
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    const failure = events.find((e) => e.type === "failure");
    expect(failure).toMatchObject({ kind: "http_5xx", message: "HTTP 503: busy", serverRequestId: "amzn-7" });
  });
});

describe("startsAsStream", () => {
  it.each([
    ["sse", "data: {}", true],
    ["sse", "event: message_start\n", true],
    ["sse", ": keep-alive\n", true],
    ["sse", "\n\ndata: x", true],
    ["sse", "\ufeffdata: x", true],
    ["sse", "da", undefined],
    ["sse", "even", undefined],
    ["sse", "<!doctype html>", false],
    ["sse", '{"choices":[]}', false],
    ["sse", "dat x", false],
    ["ndjson", '{"done":false}\n', true],
    ["ndjson", "  \n", undefined],
    ["ndjson", "<html>", false],
    ["ndjson", "data: {}", false],
  ] as const)("%s %j → %s", (framing, head, expected) => {
    expect(startsAsStream(framing, head)).toBe(expected);
  });
});

describe("Provider.prepare (a real provider against a real node:http server)", () => {
  it("sends a prepared request's body exactly as an unprepared one's, and each body once", async () => {
    // Prepared bodies are held as UTF-8 bytes: characters outside ASCII must arrive the same.
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(ANSWER);
      });
    });
    const provider = await providerFor(server);
    const request = () => ({
      messages: [{ role: "user" as const, content: "r7 alpha bravo, héllo 日本 🙂" }],
      params: { max_tokens: 3, ignore_eos: true },
      stream: true,
    });
    try {
      const prepared = request();
      provider.prepare?.(prepared);
      await provider.send(request(), () => {});
      await provider.send(prepared, () => {});
      // The same object sent again after its prepared body was taken is encoded afresh, the same.
      await provider.send(prepared, () => {});
      expect(bodies).toHaveLength(3);
      expect(JSON.parse(bodies[0]!)).toMatchObject({ model: "m", max_tokens: 3, stream: true });
      expect(JSON.parse(bodies[1]!).messages[0].content).toBe("r7 alpha bravo, héllo 日本 🙂");
      expect(bodies[1]).toBe(bodies[0]);
      expect(bodies[2]).toBe(bodies[0]);
    } finally {
      await provider.close();
      server.close();
    }
  });
});
