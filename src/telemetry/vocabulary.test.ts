import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "./prometheus-text.js";
import { detectEngine, mapScrape, totals, VOCABULARY } from "./vocabulary.js";

const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, "../../fixtures/metrics", name), "utf8");

/** The same body a second later with every counter and histogram _sum/_count `by` higher. */
function earlier(body: string, by: number): ReturnType<typeof totals> {
  const now = totals(parsePrometheusText(body).samples);
  const counters = new Set(
    Object.values(VOCABULARY).flatMap((sources) =>
      sources.flatMap((s) => ("counter" in s ? [s.counter] : "sum" in s ? [s.sum, s.count] : [])),
    ),
  );
  return new Map(
    [...now].map(([name, t]) => [name, counters.has(name) ? { sum: t.sum - by, max: t.max - by } : t]),
  );
}

describe("each engine's /metrics maps to the common vocabulary", () => {
  it.each<[string, string, Record<string, number>, string[]]>([
    [
      "vllm.prom",
      "vllm",
      {
        requests_running: 12,
        requests_waiting: 5,
        kv_cache_usage: 0.8731,
        preemptions: 100,
        // A step's tokens between the two scrapes: 100 more tokens over 100 more steps.
        tokens_per_step: 1,
        prompt_throughput: 100,
        generation_throughput: 100,
      },
      ["raw:vllm:prefix_cache_hits_total", "raw:vllm:cache_config_info"],
    ],
    [
      "tgi.prom",
      "tgi",
      {
        requests_running: 8,
        requests_waiting: 5,
        batch_size: 8,
        prompt_throughput: 100,
        generation_throughput: 100,
      },
      ["raw:tgi_batch_current_max_tokens", "raw:tgi_request_count"],
    ],
    [
      "sglang.prom",
      "sglang",
      {
        requests_running: 24,
        requests_waiting: 3,
        kv_cache_usage: 0.62,
        prompt_throughput: 100,
        generation_throughput: 100,
      },
      ["raw:sglang:gen_throughput", "raw:sglang:num_used_tokens", "raw:sglang:cache_hit_rate"],
    ],
    [
      "llamacpp.prom",
      "llama.cpp",
      {
        requests_running: 3,
        requests_waiting: 2,
        batch_size: 2.5,
        prompt_throughput: 100,
        generation_throughput: 100,
      },
      ["raw:llamacpp:predicted_tokens_seconds", "raw:llamacpp:n_decode_total"],
    ],
  ])("%s", (file, engine, expected, raw) => {
    const body = fixture(file);
    const parsed = parsePrometheusText(body);
    expect(parsed.errors).toEqual([]);
    expect(detectEngine(parsed.samples)).toBe(engine);
    const mapped = mapScrape(totals(parsed.samples), earlier(body, 100), 1);
    const vocabulary = Object.fromEntries(Object.entries(mapped).filter(([k]) => !k.startsWith("raw:")));
    expect(vocabulary).toEqual(expected);
    for (const name of raw) expect(mapped).toHaveProperty([name]);
    // Histogram parts and the client library's own series are never kept raw.
    expect(Object.keys(mapped).filter((k) => /_bucket$|^raw:(python|process)_/.test(k))).toEqual([]);
  });

  it("a first scrape has gauges only; a counter that went down (a restart) gives no rate", () => {
    const now = totals(parsePrometheusText(fixture("vllm.prom")).samples);
    expect(mapScrape(now, undefined, 0)).not.toHaveProperty("generation_throughput");
    expect(mapScrape(now, undefined, 0)).toHaveProperty("requests_running", 12);
    const later = new Map(now);
    later.set("vllm:generation_tokens_total", { sum: 5, max: 5 });
    expect(mapScrape(later, now, 1)).not.toHaveProperty("generation_throughput");
  });

  it("sums label sets (data-parallel engines) and takes the largest KV-cache share", () => {
    const body = [
      'vllm:num_requests_running{engine="0"} 3',
      'vllm:num_requests_running{engine="1"} 4',
      'vllm:kv_cache_usage_perc{engine="0"} 0.5',
      'vllm:kv_cache_usage_perc{engine="1"} 0.9',
    ].join("\n");
    expect(mapScrape(totals(parsePrometheusText(body).samples), undefined, 0)).toEqual({
      requests_running: 7,
      kv_cache_usage: 0.9,
    });
  });
});
