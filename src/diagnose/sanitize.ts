// Receiver response bodies are written by whoever runs the webhook URL: untrusted, sometimes whole HTML
// pages. This turns one into a short single line that is safe to quote to a model as evidence.

export const SAMPLE_RESPONSE_MAX_CHARS = 300;

// C0/C1 controls (newlines included: the sample is one line) and the bidi/zero-width characters that can
// make displayed text differ from what a model reads.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Gateway error pages (nginx, Cloudflare) are mostly markup; the title and visible text are the evidence. */
function htmlToText(body: string): string {
  return body
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/&amp;/gi, "&")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'");
}

function looksLikeHtml(body: string): boolean {
  return /<(!doctype\s+html|html|head|body|title)\b/i.test(body);
}

// A surrogate half without its partner: a receiver can send one, and a model API may reject the string.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * One line, no control characters, at most `maxChars` JavaScript characters (UTF-16 code units, what
 * `.length` and the contract count), an ellipsis marking a cut. The cut backs off one unit rather than split
 * a surrogate pair, so the result never holds a lone surrogate.
 */
export function sanitizeResponseText(body: string | null | undefined, maxChars = SAMPLE_RESPONSE_MAX_CHARS): string {
  if (!body) return "";
  const text = (looksLikeHtml(body) ? htmlToText(body) : body)
    .replace(UNSAFE_CHARS, " ")
    .replace(LONE_SURROGATE, "\ufffd")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= maxChars) return text;
  let end = Math.max(0, maxChars - 1);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Text shown inline or inside a ``` fence: one line, and no backticks, so it can neither open/close a code
 * span nor break out of the fence that labels it as data.
 */
export function inlineSafe(text: string): string {
  return text.replace(UNSAFE_CHARS, " ").replace(/`/g, "'").replace(/\s+/g, " ").trim();
}
