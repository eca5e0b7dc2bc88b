import { readFileSync } from "node:fs";

/** Reads a statistics reference fixture from src/stats/fixtures (sources cited inside each). */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../src/stats/fixtures/${name}`, import.meta.url), "utf8")) as T;
}
