#!/usr/bin/env node
// Thin entry: all logic lives in the compiled CLI so `npx gauntlet` starts fast.
import { main } from "../dist/cli/main.js";

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 3;
  },
);
