import { createOllamaFormat } from "./ollama-common.js";

/** Ollama `/api/generate`: a prompt (and optional system text) in, each line's content in `response`. */
export const ollamaGenerateFormat = createOllamaFormat({
  endpoint: "/api/generate",
  decode(body) {
    if (typeof body.prompt !== "string") return { error: "prompt must be a string" };
    const system = typeof body.system === "string" ? [body.system] : [];
    return { texts: [...system, body.prompt], lastUserMessage: body.prompt };
  },
  content: (text) => ({ response: text }),
});
