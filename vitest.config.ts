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
          exclude: [...TIMING, "test/engine/**"],
        },
      },
      { extends: true, test: { name: "timing", include: TIMING, fileParallelism: false } },
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
