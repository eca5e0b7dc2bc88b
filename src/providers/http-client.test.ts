import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { nowUs } from "../util/clock.js";
import { createOpenAiChatProvider } from "./openai-chat.js";
import type { ProviderEvent } from "./types.js";

/** How long the server thinks before its first byte: the gap the `sent` stamp must fall before. */
const THINK_MS = 60;

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "r1", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe("HttpClient's request-sent event (a real provider against a real node:http server)", () => {
  it("stamps `sent` once, after the scheduled start and before the first byte of the answer", async () => {
    const server = createServer((req, res) => {
      req.resume();
      // The whole request has arrived, so the client wrote it: answer only after thinking.
      req.on("end", () => {
        setTimeout(() => {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.end(chunk({ role: "assistant", content: "hi" }) + chunk({}, "stop") + "data: [DONE]\n\n");
        }, THINK_MS);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const provider = createOpenAiChatProvider({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      model: "m",
      headers: {},
      timeouts: { connectMs: 5_000, firstTokenMs: 10_000, totalMs: 10_000 },
      connections: 1,
    });
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
