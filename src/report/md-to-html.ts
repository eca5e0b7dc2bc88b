/**
 * Turns the Markdown that renderMarkdown writes into HTML: headings, paragraphs, block quotes and
 * GFM tables, with `code` and **bold** inline; fenced blocks are dropped. Only that subset: it is
 * not a general Markdown parser. Cells and names arrive already entity-escaped; any `<` or `>` left
 * is escaped again, so no markup a model or a file name carries can reach the page.
 */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  const lines = md.split("\n");
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(" "))}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(#{2,3}) (.*)$/.exec(line);
    if (line.startsWith("```")) {
      // Fenced blocks (the sweep's Mermaid curve) are left out: the page draws its own charts.
      flush();
      for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++);
    } else if (heading) {
      flush();
      const level = heading[1]!.length;
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (line.startsWith("> ")) {
      flush();
      out.push(`<blockquote>${inline(line.slice(2))}</blockquote>`);
    } else if (line.startsWith("|") && /^\|(\s*:?-+:?\s*\|)+$/.test(lines[i + 1] ?? "")) {
      flush();
      const align = cells(lines[i + 1]!).map((c) => (c.endsWith(":") ? ' class="num"' : ""));
      const head = cells(line).map((c, j) => `<th${align[j]}>${inline(c)}</th>`);
      const rows: string[] = [];
      for (i += 2; i < lines.length && lines[i]!.startsWith("|"); i++) {
        const row = cells(lines[i]!);
        // A row with a failing status is shaded, so a failure reads without its word too.
        const failed = row.some((c) => STATUS[c]?.fail === true);
        rows.push(
          `<tr${failed ? ' class="fail"' : ""}>${row
            .map((c, j) => `<td${align[j] ?? ""}>${STATUS[c]?.html ?? inline(c)}</td>`)
            .join("")}</tr>`,
        );
      }
      i--;
      out.push(
        `<div class="table-wrap"><table><thead><tr>${head.join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`,
      );
    } else if (line.trim() === "") flush();
    else paragraph.push(line);
  }
  flush();
  return out.join("\n");
}

/**
 * Status cells as the Markdown writes them, shown as a word on a coloured badge: an emoji alone
 * renders as an empty box where no emoji font is installed.
 */
const STATUS: Record<string, { html: string; fail: boolean }> = {
  "✅ pass": { html: '<span class="badge pass">PASS</span>', fail: false },
  "❌ fail": { html: '<span class="badge fail">FAIL</span>', fail: true },
  "⏭ skipped": { html: '<span class="badge skip">SKIPPED</span>', fail: false },
  pass: { html: '<span class="badge pass">PASS</span>', fail: false },
  fail: { html: '<span class="badge fail">FAIL</span>', fail: true },
  failed: { html: '<span class="badge fail">FAILED</span>', fail: true },
  errored: { html: '<span class="badge fail">ERRORED</span>', fail: true },
  error: { html: '<span class="badge fail">ERROR</span>', fail: true },
};

/** A table row's cells, split on unescaped pipes; `\|` becomes a plain pipe. */
function cells(line: string): string[] {
  const inner = line.trim().slice(1, line.trim().endsWith("|") ? -1 : undefined);
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

function inline(text: string): string {
  return text
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/_([^_]+)_$/g, "<em>$1</em>");
}
