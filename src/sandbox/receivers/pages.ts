// Response bodies as popular stacks really send them, so the sandbox's failed attempts read like the ones
// users paste into support tickets: Express's default HTML error pages, a Node stack trace, nginx's 503.

/** Express's finalhandler page (its 404 and, outside production, its 500 with the stack). */
export function expressErrorPage(preformatted: string): string {
  const escaped = preformatted
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/'/g, "&#39;")
    .replace(/\n/g, "<br>")
    .replace(/ {2}/g, " &nbsp;");
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${escaped}</pre>\n</body>\n</html>\n`;
}

/** Headers Express sets on those pages. */
export const EXPRESS_ERROR_HEADERS = {
  "x-powered-by": "Express",
  "content-security-policy": "default-src 'none'",
  "x-content-type-options": "nosniff",
  "content-type": "text/html; charset=utf-8",
};

/** A handler that assumed `data.properties.company` exists on every payload. */
export const NODE_STACK_TRACE = [
  "TypeError: Cannot read properties of undefined (reading 'name')",
  "    at upsertCompany (/srv/crm-sync/src/handlers/exa.js:47:38)",
  "    at handleExaWebhook (/srv/crm-sync/src/handlers/exa.js:21:11)",
  "    at Layer.handle [as handle_request] (/srv/crm-sync/node_modules/express/lib/router/layer.js:95:5)",
  "    at next (/srv/crm-sync/node_modules/express/lib/router/route.js:149:13)",
  "    at Route.dispatch (/srv/crm-sync/node_modules/express/lib/router/route.js:119:3)",
  "    at Layer.handle [as handle_request] (/srv/crm-sync/node_modules/express/lib/router/layer.js:95:5)",
  "    at /srv/crm-sync/node_modules/express/lib/router/index.js:284:15",
  "    at Function.process_params (/srv/crm-sync/node_modules/express/lib/router/index.js:346:12)",
  "    at next (/srv/crm-sync/node_modules/express/lib/router/index.js:280:10)",
  "    at jsonParser (/srv/crm-sync/node_modules/body-parser/lib/types/json.js:119:7)",
].join("\n");

export const NGINX_503_PAGE =
  "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
