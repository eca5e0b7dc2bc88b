import { describe, expect, it } from "vitest";
import { credentialValues } from "./plan-targets.js";

describe("credentialValues: what of a target is a secret whatever its source", () => {
  it("takes the api_key and credential-named headers, and a bearer's token on its own", () => {
    expect(
      credentialValues("sk-abcdef123456", {
        authorization: "Bearer tok-9876543210",
        "x-api-key": "hk-1234567890",
        Cookie: "session=abcdef0123",
        "content-type": "application/json",
        "x-tenant": "team-alpha-prod",
      }),
    ).toEqual([
      "sk-abcdef123456",
      "Bearer tok-9876543210",
      "tok-9876543210",
      "hk-1234567890",
      "session=abcdef0123",
    ]);
  });

  it("leaves out placeholders shorter than a key (vLLM's EMPTY, Ollama's ollama), which reports name", () => {
    expect(credentialValues("EMPTY", { authorization: "Bearer ollama" })).toEqual(["Bearer ollama"]);
    expect(credentialValues("ollama", undefined)).toEqual([]);
    expect(credentialValues(undefined, undefined)).toEqual([]);
  });
});
