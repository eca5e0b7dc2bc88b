import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { SimProfileSchema } from "../sim/profile.js";
import { createCollector } from "./collect.js";
import { connectTarget } from "./connect.js";

const access = {
  model: "m",
  headers: {},
  timeouts: { connectMs: 2_000, firstTokenMs: 10_000, totalMs: 10_000 },
};
const ask = { messages: [{ role: "user" as const, content: "hi" }], params: {}, stream: true };

describe("connectTarget", () => {
  it("starts a simulator for a sim target, sends to it, and stops it on close", async () => {
    const sim = SimProfileSchema.parse({ ttft_ms: 0, itl_ms: 0, answers: [{ match: "hi", reply: "hello" }] });
    const target = await connectTarget({ ...access, provider: "sim", sim }, 1);
    expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(target.displayUrl).toBe(target.baseUrl);
    const { record, sink } = createCollector();
    await target.provider.send(ask, sink);
    expect(record.failure).toBeUndefined();
    expect(record.text).toBe("hello");
    await target.close();
    const { port } = new URL(target.baseUrl);
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port: Number(port) });
      socket.once("connect", () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code));
    });
    expect(refused).toBe("ECONNREFUSED");
  });

  it("uses an HTTP target's base_url as given and shows it without credentials or query", async () => {
    const target = await connectTarget(
      { ...access, provider: "openai-chat", baseUrl: "http://user:secret@127.0.0.1:9/v1?key=k" },
      1,
    );
    try {
      expect(target.baseUrl).toBe("http://user:secret@127.0.0.1:9/v1?key=k");
      expect(target.displayUrl).toBe("http://127.0.0.1:9/v1");
      expect(target.provider.kind).toBe("openai-chat");
    } finally {
      await target.close();
    }
  });
});
