import { describe, expect, it } from "vitest";
import { ExitCode, GauntletError } from "../errors.js";
import { createRedactor, redactErrors, redactUrl } from "./redact.js";

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
