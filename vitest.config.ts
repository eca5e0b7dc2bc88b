import { defineConfig } from "vitest/config";

// Timing-accuracy tests run on their own, after everything else, so they do not share the CPU with
// other test files (npm test runs the two projects one after the other).
const TIMING = ["test/e2e-timing.test.ts", "test/providers-timing.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts"],
          exclude: [...TIMING, "test/engine/**", "test/browser/**", "test/terminal/**"],
        },
      },
      { extends: true, test: { name: "timing", include: TIMING, fileParallelism: false } },
      // report.html in headless Chromium (npm run test:browser; .ci/run installs Debian's chromium):
      // one file at a time, each with its own browser, after a run of the built CLI.
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      // The live view in a real terminal (npm run test:terminal; .ci/run installs tmux).
      {
        extends: true,
        test: {
          name: "terminal",
          include: ["test/terminal/**/*.test.ts"],
          fileParallelism: false,
          hookTimeout: 180_000,
        },
      },
      // The real llama.cpp engine (npm run test:engine; needs ../shared/cpu-endpoint): one file at a
      // time, since each starts llama.cpp servers that want the CPU to themselves.
      {
        extends: true,
        test: {
          name: "engine",
          include: ["test/engine/**/*.test.ts"],
          globalSetup: ["test/engine/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
