import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createReplicateStreamDecoder,
  predictionInput,
  predictionRoute,
} from "../src/providers/replicate.js";
import { normalise, replay } from "./helpers/decoders.js";
import { ROOT } from "./helpers/cli.js";

// Replicate's prediction stream as documented (fixtures/replicate/prediction-stream.sse): its
// `output` events carry the text itself, not JSON, so it is replayed here rather than with the JSON
// formats' transcripts in fixtures/streams.

const DIR = path.join(ROOT, "fixtures", "replicate");
const bytes = new Uint8Array(readFileSync(path.join(DIR, "prediction-stream.sse")));
const expected = JSON.parse(readFileSync(path.join(DIR, "prediction-stream.expected.json"), "utf8")) as {
  events: Array<Record<string, unknown>>;
};

describe("Replicate's prediction stream", () => {
  it("decodes whole, split anywhere and byte by byte into the documented events", () => {
    const cuts: Uint8Array[][] = [
      [bytes],
      ...Array.from({ length: bytes.length - 1 }, (_, i) => [
        bytes.subarray(0, i + 1),
        bytes.subarray(i + 1),
      ]),
      Array.from(bytes, (b) => Uint8Array.of(b)),
    ];
    for (const parts of cuts) {
      const got = replay(createReplicateStreamDecoder, parts);
      expect(got.endError).toBeUndefined();
      expect(got.events.map(normalise)).toEqual(expected.events);
    }
  });

  it("is stream_dropped when it ends before done, and a failure when the prediction fails", () => {
    const text = new TextDecoder().decode(bytes);
    const cut = new TextEncoder().encode(text.slice(0, text.indexOf("event: done")));
    expect(replay(createReplicateStreamDecoder, [cut]).endError).toMatchObject({ kind: "stream_dropped" });
    const failed = new TextEncoder().encode(
      'event: output\ndata: Hi\n\nevent: error\ndata: {"detail": "CUDA out of memory"}\n\n',
    );
    let thrown: unknown;
    try {
      replay(createReplicateStreamDecoder, [failed]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ kind: "http_5xx", message: "prediction failed: CUDA out of memory" });
  });
});

describe("a Replicate prediction's route and input", () => {
  it.each([
    ["meta/meta-llama-3-8b-instruct", { path: "/models/meta/meta-llama-3-8b-instruct/predictions" }],
    ["meta/llama:5c7854e8", { path: "/predictions", version: "5c7854e8" }],
    ["5c7854e8a0", { path: "/predictions", version: "5c7854e8a0" }],
  ])("%s → %j", (model, route) => {
    expect(predictionRoute(model)).toEqual(route);
  });

  it("sends the user turns as prompt, the system message as system_prompt, and the params as written", () => {
    expect(
      predictionInput({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
        params: { max_new_tokens: 64, temperature: 0 },
        stream: true,
      }),
    ).toEqual({ prompt: "Hi", system_prompt: "Be brief.", max_new_tokens: 64, temperature: 0 });
  });
});
