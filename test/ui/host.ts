// A small MCP Apps host for the browser test: the view in a sandboxed iframe under the spec's default CSP, talking
// to the host page through ext-apps' AppBridge. The page's MCP client is the test (Node, over stdio to the built
// server): every request the view makes through the bridge goes to `window.hostRequest`, which Playwright binds.
import { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";

/** The spec's default for a view that declares no CSP: inline script and style, no network at all. */
const DEFAULT_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' data:; connect-src 'none'";

interface HostOptions {
  html: string;
  toolInput: Record<string, unknown>;
  toolResult: Parameters<AppBridge["sendToolResult"]>[0];
  tool: { name: string; inputSchema: { type: "object" } };
  theme: "light" | "dark";
  width: number;
}

declare global {
  interface Window {
    hostRequest(method: string, params: unknown): Promise<unknown>;
    startHost(options: HostOptions): Promise<{ resultSentAt: number }>;
    setHostTheme(theme: "light" | "dark"): Promise<void>;
    cspViolations: string[];
  }
}

let bridge: AppBridge | undefined;

window.startHost = async (options) => {
  const iframe = document.createElement("iframe");
  // No allow-same-origin: the view runs in an opaque origin, as hosts run it.
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.setAttribute("title", "diagnose_failures view");
  iframe.style.cssText = `width:${options.width}px;height:400px;border:0;display:block`;
  iframe.srcdoc = options.html.replace(
    "<head>",
    `<head><meta http-equiv="Content-Security-Policy" content="${DEFAULT_CSP}">`,
  );
  document.body.append(iframe);
  const view = iframe.contentWindow as Window;

  bridge = new AppBridge(
    null,
    { name: "exa-webhooks-test-host", version: "1.0.0" },
    { serverTools: {}, serverResources: {}, logging: {} },
    {
      hostContext: {
        theme: options.theme,
        displayMode: "inline",
        platform: "web",
        containerDimensions: { width: options.width, maxHeight: 6000 },
        toolInfo: { tool: options.tool },
      },
    },
  );
  bridge.oncalltool = (params) => window.hostRequest("tools/call", params) as never;
  bridge.onreadresource = (params) => window.hostRequest("resources/read", params) as never;
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined) iframe.style.height = `${Math.ceil(height)}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    (bridge as AppBridge).oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(view, view));
  await initialized;
  await bridge.sendToolInput({ arguments: options.toolInput });
  const resultSentAt = performance.now();
  await bridge.sendToolResult(options.toolResult);
  return { resultSentAt };
};

window.setHostTheme = async (theme) => {
  await bridge?.sendHostContextChange({ theme });
};
