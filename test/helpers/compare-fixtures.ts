import { readFileSync } from "node:fs";

/** Reads a statistics reference fixture from src/compare/fixtures (sources cited inside each). */
export function readFixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../src/compare/fixtures/${name}`, import.meta.url), "utf8"),
  ) as T;
}
