import { createOllamaFormat } from "./ollama-common.js";
import { fromMessages } from "./wire.js";

/** Ollama `/api/chat`: each line's content in `message.content`. */
export const ollamaChatFormat = createOllamaFormat({
  endpoint: "/api/chat",
  decode: (body) => fromMessages(body.messages),
  content: (text) => ({ message: { role: "assistant", content: text } }),
});
