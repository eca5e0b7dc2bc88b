import { describe, expect, it } from "vitest";
import { ExitCode, GauntletError } from "../errors.js";
import { createRedactor, NO_SECRETS, redactDeep, redactErrors, redactUrl } from "./redact.js";

describe("redaction", () => {
  const redact = createRedactor(["sk-live-0123456789", "abc"]);

  it("replaces every known secret of four characters or more", () => {
    expect(redact("key sk-live-0123456789 twice sk-live-0123456789, abc stays")).toBe(
      "key *** twice ***, abc stays",
    );
  });

  it("strips credentials and query strings from URLs", () => {
    expect(redactUrl("https://user:pw@api.example.com/v1?key=sk-1")).toBe("https://api.example.com/v1");
    expect(redactUrl("not a url")).toBe("<invalid url>");
  });

  it("redactErrors: an error leaves with its message and stack redacted, its class and exit code kept", async () => {
    const failing = () =>
      redactErrors(redact, async () => {
        throw new GauntletError("target refused sk-live-0123456789", "E_TARGET", ExitCode.incomplete);
      });
    const err = await failing().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GauntletError);
    expect((err as GauntletError).message).toBe("target refused ***");
    expect((err as GauntletError).stack).not.toContain("sk-live-0123456789");
    expect((err as GauntletError).exitCode).toBe(ExitCode.incomplete);
    await expect(redactErrors(redact, async () => 7)).resolves.toBe(7);
  });
});

describe("redacting before a cut or an escape", () => {
  const key = 'sk-"q\\&<x>|,9Zz';
  const redact = createRedactor([key]);

  it("cut redacts first: no prefix of a key survives a cut that falls inside it", () => {
    const text = "a".repeat(10) + key + " tail";
    for (let max = 1; max < text.length; max++) {
      const cut = redact.cut(text, max, { mark: "…" });
      expect(cut).not.toContain(key.slice(0, 6));
    }
    expect(redact.cut(text, 13)).toBe("aaaaaaaaaa***");
  });

  it.each([5, 6, 9, key.length - 1])(
    "a text already cut %i characters into a key (partial) has that start masked",
    (k) => {
      const text = "body: " + key.slice(0, k);
      expect(redact.cut(text, 1000, { partial: true })).toBe("body: ***");
      // Without `partial` the text is taken as whole: the same characters are not a key.
      expect(redact.cut(text, 1000)).toBe(text);
    },
  );

  it.each([
    ["JSON", JSON.stringify(key).slice(1, -1)],
    ["CSV", key.replace(/"/g, '""')],
    ["HTML", key.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")],
    [
      "Markdown cell",
      key.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|"),
    ],
  ])("finds the key in its %s-escaped form too", (_form, escaped) => {
    expect(redact(`x ${escaped} y`)).toBe("x *** y");
  });

  it("redactDeep redacts every string of a record in a copy, and is the identity without secrets", () => {
    const record = { a: [key, 1, { b: `see ${key}` }], n: null, ok: true };
    expect(redactDeep(record, redact)).toEqual({ a: ["***", 1, { b: "see ***" }], n: null, ok: true });
    expect(record.a[0]).toBe(key);
    expect(redactDeep(record, NO_SECRETS)).toBe(record);
  });
});
