// Each event's own bytes inside a page of GET /v0/events, so a forward POSTs the event exactly as Exa wrote it
// (receivers sign-check and dedupe those bytes) instead of a re-serialisation of the parsed object.

/**
 * The source text of every element of the page's top-level `data` array, in order. The body has already
 * parsed as JSON (the client validated it), so this scan only has to track strings and nesting depth.
 * Returns undefined when the body has no top-level `data` array (the caller then refuses the page).
 */
export function rawEventTexts(body: string): string[] | undefined {
  const start = dataArrayStart(body);
  if (start === undefined) return undefined;
  const texts: string[] = [];
  let depth = 0;
  let elementStart = -1;
  for (let i = start + 1; i < body.length; i++) {
    const char = body[i];
    if (char === '"') {
      if (depth === 0 && elementStart === -1) elementStart = i;
      i = stringEnd(body, i);
      continue;
    }
    if (char === " " || char === "\n" || char === "\r" || char === "\t") continue;
    if (depth === 0 && (char === "," || char === "]")) {
      if (elementStart !== -1) texts.push(body.slice(elementStart, trimmedEnd(body, i)));
      elementStart = -1;
      if (char === "]") return texts;
      continue;
    }
    if (depth === 0 && elementStart === -1) elementStart = i;
    if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
  }
  return undefined;
}

/** Index of the `[` opening the value of the top-level key "data". */
function dataArrayStart(body: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '"') {
      const end = stringEnd(body, i);
      if (depth === 1 && body.slice(i + 1, end) === "data") {
        let next = end + 1;
        while (/\s/.test(body[next] ?? "")) next++;
        if (body[next] === ":") {
          next++;
          while (/\s/.test(body[next] ?? "")) next++;
          return body[next] === "[" ? next : undefined;
        }
      }
      i = end;
      continue;
    }
    if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `open`. */
function stringEnd(body: string, open: number): number {
  for (let i = open + 1; i < body.length; i++) {
    if (body[i] === "\\") i++;
    else if (body[i] === '"') return i;
  }
  return body.length;
}

/** `end` moved back over whitespace, so an element's text ends at its last significant character. */
function trimmedEnd(body: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(body[i - 1] ?? "")) i--;
  return i;
}
