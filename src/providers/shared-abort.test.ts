import { describe, expect, it } from "vitest";
import { watchAbort } from "./shared-abort.js";

describe("watchAbort", () => {
  it("calls every watcher still watching once, and none that stopped", () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const stops = [0, 1, 2, 3].map((i) => watchAbort(controller.signal, () => calls.push(i)));
    stops[1]!();
    stops[3]!();
    controller.abort();
    controller.abort();
    expect(calls.sort()).toEqual([0, 2]);
  });

  it("adds a single listener to the signal however many requests watch it", () => {
    const controller = new AbortController();
    let added = 0;
    const original = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<AbortSignal["addEventListener"]>) => {
      added++;
      original(...args);
    }) as AbortSignal["addEventListener"];
    const stops = Array.from({ length: 1000 }, () => watchAbort(controller.signal, () => {}));
    stops.forEach((stop) => stop());
    watchAbort(controller.signal, () => {});
    expect(added).toBe(1);
  });

  it("a watcher that stops another during the abort does not break the rest", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    let stopB = () => {};
    watchAbort(controller.signal, () => {
      calls.push("a");
      stopB();
    });
    stopB = watchAbort(controller.signal, () => calls.push("b"));
    controller.abort();
    expect(calls).toEqual(["a", "b"]);
  });
});
