import { describe, expect, it } from "vitest";
import {
  missingVariables,
  renderTemplate,
  templateVariables,
  unclosedPlaceholder,
  type TemplateVars,
} from "./template.js";

describe("templateVariables", () => {
  it.each<[string, string[]]>([
    ["no placeholders", []],
    ["{{question}}", ["question"]],
    ["{{ question }} and {{labels}}", ["question", "labels"]],
    ["{{a}} {{b}} {{a}}", ["a", "b"]],
    ["{{row.label}} {{x-y}} {{_z9}}", ["row.label", "x-y", "_z9"]],
    // Not placeholders: a leading digit, single braces, an empty name.
    ["{{9lives}} {x} {{}} {{ }}", []],
    ["{{{q}}}", ["q"]],
  ])("%j uses %j", (template, names) => {
    expect(templateVariables(template)).toEqual(names);
  });
});

describe("missingVariables", () => {
  it.each<[string, TemplateVars, string[]]>([
    ["{{q}}", { q: "hi" }, []],
    ["{{q}} {{labels}}", { q: "hi" }, ["labels"]],
    ["{{q}} {{q}}", {}, ["q"]],
    ["{{n}} {{ok}}", { n: 0, ok: false }, []],
    ["plain text", {}, []],
  ])("%j with %j misses %j", (template, vars, missing) => {
    expect(missingVariables(template, vars)).toEqual(missing);
  });
});

describe("renderTemplate", () => {
  it.each<[string, TemplateVars, string]>([
    ["{{q}}", { q: "hi" }, "hi"],
    ["Classify: {{ q }}. Labels: {{labels}}", { q: "x", labels: "a, b" }, "Classify: x. Labels: a, b"],
    ["{{n}} items, done={{done}}", { n: 3, done: true }, "3 items, done=true"],
    ["{{a}}{{a}}", { a: "ab" }, "abab"],
    // A value that looks like a placeholder is not rendered again.
    ["{{a}}", { a: "{{b}}", b: "no" }, "{{b}}"],
    ["{x} {{9}}", {}, "{x} {{9}}"],
  ])("%j with %j renders %j", (template, vars, rendered) => {
    expect(renderTemplate(template, vars)).toBe(rendered);
  });

  it("throws on a variable the caller should have checked for", () => {
    expect(() => renderTemplate("{{q}} {{nope}}", { q: "hi" })).toThrow("unknown template variable {{nope}}");
  });
});

describe("inherited names are not variables", () => {
  it.each(["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"])(
    "{{%s}} is missing from vars that do not define it",
    (name) => {
      expect(missingVariables(`{{${name}}}`, { q: "x" })).toEqual([name]);
      expect(() => renderTemplate(`{{${name}}}`, { q: "x" })).toThrow(/unknown template variable/);
    },
  );

  it("an own __proto__ or constructor var renders like any other", () => {
    const vars = JSON.parse('{"__proto__":"p","constructor":"c"}') as TemplateVars;
    expect(missingVariables("{{__proto__}} {{constructor}}", vars)).toEqual([]);
    expect(renderTemplate("{{__proto__}} {{constructor}}", vars)).toBe("p c");
  });
});

describe("unclosedPlaceholder", () => {
  it.each<[string, string | undefined]>([
    ["{{ q", "{{q is never closed: write {{q}}"],
    ["ask {{q} now", "{{q is never closed: write {{q}}"],
    ["{{q}} then {{ label", "{{label is never closed: write {{label}}"],
    ["{{q}} {{ qq }} {{{r}}}", undefined],
    ['reply as {{"a": 1}}', undefined],
    ["{x} {{}} {{ }} {{9lives", undefined],
  ])("%j: %j", (template, message) => {
    expect(unclosedPlaceholder(template)).toBe(message);
  });
});
