import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { nowUs } from "../util/clock.js";
import { startScraper } from "./scraper.js";

let server: Server | undefined;

/** A real endpoint on 127.0.0.1 answering each GET with `answer(n)` (n counts from 0). */
async function endpoint(answer: (n: number) => { status: number; body: string } | "hang"): Promise<string> {
  let n = 0;
  server = createServer((_req, res) => {
    const a = answer(n++);
    if (a === "hang") return;
    res.writeHead(a.status, { "content-type": "text/plain" });
    res.end(a.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const scrape = (url: string, required: boolean, intervalMs = 100) =>
  startScraper({ url, shownUrl: url, intervalMs, required, inFlight: () => 3, clock: nowUs });

describe("the scraper", () => {
  it("maps each scrape, turns counters into rates and records the client's in-flight count", async () => {
    const url = await endpoint((n) => ({
      status: 200,
      body: `vllm:num_requests_waiting{model_name="m"} ${n}\nvllm:generation_tokens_total ${n * 100}\n`,
    }));
    const s = scrape(url, false);
    await new Promise((r) => setTimeout(r, 450));
    const t = (await s.stop())!;
    expect(t).toMatchObject({ engine: "vllm", failures: 0, intervalMs: 100 });
    expect(t.scrapes).toBeGreaterThanOrEqual(3);
    const all = t.timeline.slices.flatMap((sl) => [sl.series]);
    const sum = (k: string) => all.reduce((n, x) => n + (x[k]?.n ?? 0), 0);
    expect(sum("requests_waiting")).toBe(t.scrapes);
    expect(sum("client.in_flight")).toBe(t.scrapes);
    // A rate from every scrape but the first; 100 tokens per interval of at least 100 ms.
    expect(sum("generation_throughput")).toBe(t.scrapes - 1);
    for (const x of all)
      if (x.generation_throughput) expect(x.generation_throughput.max).toBeLessThanOrEqual(1000);
  });

  it("the default endpoint that does not answer with metrics is dropped quietly", async () => {
    let asked = 0;
    const url = await endpoint(() => {
      asked++;
      return { status: 404, body: "not found" };
    });
    const s = scrape(url, false);
    await new Promise((r) => setTimeout(r, 300));
    expect(await s.stop()).toBeUndefined();
    // Asked once, then left alone for the rest of the phase.
    expect(asked).toBe(1);
  });

  it("a named endpoint's failures are counted with their reason, and stopping never waits on a hung scrape", async () => {
    const url = await endpoint((n) => (n < 2 ? { status: 503, body: "busy" } : "hang"));
    const s = scrape(url, true, 50);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const t = (await s.stop())!;
    expect(Date.now() - started).toBeLessThan(400);
    expect(t.scrapes).toBe(0);
    expect(t.failures).toBe(2);
    expect(t.lastFailure).toBe("HTTP 503");
  });
});
