import { describe, expect, it } from "vitest";
import { basicAuthorization, endpointUrl, urlCredentials } from "./endpoint-url.js";

describe("endpointUrl", () => {
  it.each<[string, string, string]>([
    ["http://h:8000/v1", "/chat/completions", "http://h:8000/v1/chat/completions"],
    ["http://h:8000/v1/", "/models", "http://h:8000/v1/models"],
    ["http://h", "/embeddings", "http://h/embeddings"],
    [
      "https://x.openai.azure.com/openai/deployments/d?api-version=2024-02-01",
      "/embeddings",
      "https://x.openai.azure.com/openai/deployments/d/embeddings?api-version=2024-02-01",
    ],
  ])("%s + %s", (base, path, expected) => {
    expect(endpointUrl(base, path)).toBe(expected);
  });
});

describe("urlCredentials", () => {
  it("takes user:password out of the URL, decoded", () => {
    expect(urlCredentials("http://al%40ce:p%3Aw@h/v1?api-version=1")).toEqual({
      url: "http://h/v1?api-version=1",
      basic: { user: "al@ce", password: "p:w" },
      secrets: [],
    });
  });

  it("keeps a URL without credentials as written, and names credential-looking query values", () => {
    expect(urlCredentials("http://h/v1?api-version=1&key=k123&sig=s456&x=1")).toEqual({
      url: "http://h/v1?api-version=1&key=k123&sig=s456&x=1",
      secrets: ["k123", "s456"],
    });
  });

  it("writes Basic credentials as RFC 7617 says", () => {
    expect(basicAuthorization({ user: "Aladdin", password: "open sesame" })).toBe(
      "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    );
  });
});
