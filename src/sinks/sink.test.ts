import { describe, expect, it } from "vitest";
import type { RunEvent } from "../run/events.js";
import { startSinks, type RunSink } from "./sink.js";

/** A sink that logs its lifecycle calls into `log` under `name`. */
function recording(name: string, log: string[], fail: { start?: boolean; close?: boolean } = {}): RunSink {
  return {
    start: async () => {
      if (fail.start) throw new Error(`${name} cannot start`);
      log.push(`${name}.start`);
    },
    event: (e) => log.push(`${name}.${e.type}`),
    flush: () => log.push(`${name}.flush`),
    close: async () => {
      log.push(`${name}.close`);
      if (fail.close) throw new Error(`${name} cannot close`);
    },
  };
}

const warning: RunEvent = { type: "warning", message: "w" };

describe("startSinks", () => {
  it("starts in order, hands each event to every sink in list order, flushes and closes all", async () => {
    const log: string[] = [];
    const sinks = await startSinks([recording("a", log), recording("b", log)]);
    sinks.emit(warning);
    sinks.emit({ type: "interrupted", reason: "signal" });
    sinks.flush();
    await sinks.close();
    expect(log).toEqual([
      "a.start",
      "b.start",
      "a.warning",
      "b.warning",
      "a.interrupted",
      "b.interrupted",
      "a.flush",
      "b.flush",
      "a.close",
      "b.close",
    ]);
  });

  it("a sink that cannot start stops the list: those already started are closed, the error goes on", async () => {
    const log: string[] = [];
    await expect(
      startSinks([recording("a", log), recording("b", log, { start: true }), recording("c", log)]),
    ).rejects.toThrow("b cannot start");
    expect(log).toEqual(["a.start", "a.close"]);
  });

  it("closes every sink even when one fails to close, then rejects with that failure", async () => {
    const log: string[] = [];
    const sinks = await startSinks([recording("a", log, { close: true }), recording("b", log)]);
    await expect(sinks.close()).rejects.toThrow("a cannot close");
    expect(log).toEqual(["a.start", "b.start", "a.close", "b.close"]);
  });
});
