import { describe, expect, it } from "vitest";
import { scrubPii } from "./scrub.js";

describe("scrubPii", () => {
  it.each([
    ["write to jane.doe+billing@example.co.uk today", "write to [EMAIL] today"],
    ["a@b.io and c_d@mail.example.com", "[EMAIL] and [EMAIL]"],
    ["call +1 (555) 123-4567 now", "call [PHONE] now"],
    ["call 555-123-4567.", "call [PHONE]."],
    ["UK: +44 20 7946 0958", "UK: [PHONE]"],
    ["tel 030.1234.5678", "tel [PHONE]"],
    ["order 123456789 shipped", "order [NUMBER] shipped"],
    ["card 4111111111111111", "card [NUMBER]"],
    ["iban DE89370400440532013000", "iban DE[NUMBER]"],
  ])("%s", (text, scrubbed) => {
    expect(scrubPii(text)).toBe(scrubbed);
  });

  it.each([
    "on 2024-01-15 at 10:30",
    "due 15.01.2024 or 01/15/2024",
    "version 1.2.3 of 12 items",
    "order 123456 (six digits) and room 42",
    "pay 1,250.00 by 31 March",
  ])("leaves %s alone", (text) => {
    expect(scrubPii(text)).toBe(text);
  });
});
