import { readFile } from "node:fs/promises";
import path from "node:path";
import { validateXML } from "xmllint-wasm";

const XSD = path.resolve(import.meta.dirname, "../fixtures/junit/junit-10.xsd");

/** Validates a junit.xml text against the Jenkins/GitLab JUnit XSD with libxml2 (WebAssembly). */
export async function validateJunit(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: "junit.xml", contents: xml }],
    schema: [{ fileName: "junit-10.xsd", contents: await readFile(XSD, "utf8") }],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}
