import type { CaseOutcome } from "../record/case-outcome.js";
import type { RunResult, TargetInfo } from "../record/run-result.js";
import type { Verdict } from "../record/verdict.js";
import type { SkippedThreshold } from "../record/verdict.js";
import { caseLabel, caseReason, caseStatus } from "./case-reason.js";
import { problemDetail, problemTitle } from "./health.js";
import { clip, xmlAttr, xmlText } from "./xml.js";

const MESSAGE_CHARS = 500;
const BODY_CHARS = 4_000;

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

interface Suite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped?: number;
  timeS: number;
  properties: Array<[string, string]>;
  cases: string[];
}

function testcase(
  name: string,
  classname: string,
  timeS: string,
  problem?: { kind: "failure" | "error"; type: string; message: string; body: string } | { skipped: string },
): string {
  const open = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(classname)}" time="${timeS}"`;
  if (!problem) return `${open}/>`;
  if ("skipped" in problem)
    return [
      `${open}>`,
      `      <skipped message="${xmlAttr(clip(problem.skipped, MESSAGE_CHARS))}"/>`,
      "    </testcase>",
    ].join("\n");
  const message = xmlAttr(clip(problem.message, MESSAGE_CHARS));
  return [
    `${open}>`,
    `      <${problem.kind} type="${xmlAttr(problem.type)}" message="${message}">${xmlText(clip(problem.body, BODY_CHARS))}</${problem.kind}>`,
    "    </testcase>",
  ].join("\n");
}

function caseDetail(o: CaseOutcome): string {
  const lines = [`score ${o.score.toFixed(3)}, ${o.pass ? "passed" : "not passed"}`];
  for (const a of o.assertions ?? []) lines.push(`${a.pass ? "ok  " : "FAIL"} ${a.type}: ${a.reason}`);
  lines.push("", "output:", o.output);
  return lines.join("\n");
}

function targetSuite(t: TargetInfo, cases: CaseOutcome[]): Suite {
  const suite: Suite = {
    name: t.name,
    tests: 0,
    failures: 0,
    errors: 0,
    timeS: 0,
    properties: [
      ["provider", t.provider],
      ["model", t.model],
      ["url", t.url],
    ],
    cases: [],
  };
  if (!t.reachable) {
    suite.tests++;
    suite.errors++;
    const reason = t.unreachableReason ?? "unreachable";
    suite.cases.push(
      testcase("reachable", t.name, "0.000", {
        kind: "error",
        type: "unreachable",
        message: reason,
        body: reason,
      }),
    );
  }
  for (const o of cases) {
    suite.tests++;
    suite.timeS += (o.e2eMs ?? 0) / 1000;
    const status = caseStatus(o);
    const name = caseLabel(o);
    const time = seconds(o.e2eMs);
    if (status === "passed") suite.cases.push(testcase(name, t.name, time));
    else if (status === "error") {
      suite.errors++;
      const message = caseReason(o);
      suite.cases.push(
        testcase(name, t.name, time, { kind: "error", type: "request", message, body: message }),
      );
    } else {
      suite.failures++;
      const message = caseReason(o);
      suite.cases.push(
        testcase(name, t.name, time, { kind: "failure", type: "assertion", message, body: caseDetail(o) }),
      );
    }
  }
  return suite;
}

function thresholdSuite(run: RunResult, verdicts: Verdict[], skipped: readonly SkippedThreshold[]): Suite {
  const properties: Array<[string, string]> = [["status", run.status]];
  if (run.abortedBy) properties.push(["aborted_by", run.abortedBy]);
  const suite: Suite = {
    name: "thresholds",
    tests: 0,
    failures: 0,
    errors: 0,
    timeS: 0,
    properties,
    cases: [],
  };
  for (const t of skipped) {
    suite.tests++;
    suite.skipped = (suite.skipped ?? 0) + 1;
    suite.cases.push(testcase(`${t.key} ${t.expression}`, "thresholds", "0.000", { skipped: t.reason }));
  }
  for (const v of verdicts) {
    suite.tests++;
    const name = `${v.key} ${v.expression}`;
    if (v.pass) suite.cases.push(testcase(name, "thresholds", "0.000"));
    else {
      suite.failures++;
      const body = `${v.key} ${v.expression}\n${v.reason}`;
      suite.cases.push(
        testcase(name, "thresholds", "0.000", {
          kind: "failure",
          type: "threshold",
          message: v.reason,
          body,
        }),
      );
    }
  }
  return suite;
}

/**
 * Run health as a suite: one passing case when every phase had a successful request, else an
 * error per phase that had none (or was stopped by fail_fast), with the server's words and hints.
 */
function healthSuite(run: RunResult): Suite | undefined {
  const health = run.health;
  if (!health) return undefined;
  const suite: Suite = {
    name: "run health",
    tests: 0,
    failures: 0,
    errors: 0,
    timeS: 0,
    properties: [],
    cases: [],
  };
  if (health.ok) {
    suite.tests = 1;
    suite.cases.push(testcase("every phase had a successful request", "health", "0.000"));
    return suite;
  }
  for (const p of health.problems) {
    suite.tests++;
    suite.errors++;
    const title = problemTitle(p);
    suite.cases.push(
      testcase(`${p.target}/${p.phase}`, "health", "0.000", {
        kind: "error",
        type: p.kind,
        message: [title, ...problemDetail(p).map((line) => line.trim())].join("; "),
        body: [title, ...problemDetail(p, "  ")].join("\n"),
      }),
    );
  }
  return suite;
}

function renderSuite(s: Suite, timestamp: string): string {
  const props = s.properties.length
    ? [
        "    <properties>",
        ...s.properties.map(([k, v]) => `      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`),
        "    </properties>",
      ]
    : [];
  return [
    `  <testsuite name="${xmlAttr(s.name)}" tests="${s.tests}" failures="${s.failures}" errors="${s.errors}" skipped="${s.skipped ?? 0}" time="${s.timeS.toFixed(3)}" timestamp="${xmlAttr(timestamp)}">`,
    ...props,
    ...s.cases,
    "  </testsuite>",
  ].join("\n");
}

/**
 * junit.xml: a `testsuite` per target with a `testcase` per quality case (a failed request is an
 * `error`, a failed answer a `failure` whose message is the failing assertions), plus a
 * `thresholds` suite with a `testcase` per threshold whose failure message is observed vs limit.
 * Valid against the JUnit schema Jenkins and GitLab read. Pure.
 */
export function renderJunit(run: RunResult): string {
  const suites = run.targets.map((t) =>
    targetSuite(
      t,
      run.quality.cases.filter((c) => c.target === t.name),
    ),
  );
  const health = healthSuite(run);
  if (health) suites.push(health);
  suites.push(thresholdSuite(run, run.thresholds, run.skippedThresholds ?? []));
  const sum = (f: (s: Suite) => number) => suites.reduce((n, s) => n + f(s), 0);
  const wallS = Math.max(0, (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000) || 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(`gauntlet ${run.suite.name}`)}" tests="${sum((s) => s.tests)}" failures="${sum((s) => s.failures)}" errors="${sum((s) => s.errors)}" time="${wallS.toFixed(3)}">`,
    ...suites.map((s) => renderSuite(s, run.startedAt)),
    "</testsuites>",
    "",
  ].join("\n");
}
