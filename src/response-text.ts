// The start of a receiver's answer as text: a webhook receiver may stream megabytes (an HTML error page,
// a log dump), and what counts is its status and first few lines, so read a prefix and stop the rest.

/** At most `maxChars` characters of the body; the rest is cancelled unread. */
export async function readTextPrefix(response: Response, maxChars: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < maxChars) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return text.slice(0, maxChars);
}
