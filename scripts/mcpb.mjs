// `npm run mcpb`: the Claude Desktop bundle. Builds the server, syncs manifest.json (version, tools, prompts)
// from what the built server really answers, validates it with mcpb, and packs exa-webhooks-mcp.mcpb from a
// staging folder holding only manifest.json, dist/ (the bin, the program and its chunks), README.md and LICENSE (the bundle needs no
// node_modules: every dependency is inlined).
//   node scripts/mcpb.mjs          build, sync, validate, pack
//   node scripts/mcpb.mjs --sync   build and rewrite manifest.json only
import { spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MANIFEST = join(ROOT, "manifest.json");
const STAGE = join(ROOT, "build/mcpb");
const OUTPUT = join(ROOT, "exa-webhooks-mcp.mcpb");
/** Used through npx unless it is installed in node_modules. */
const MCPB_PACKAGE = "@anthropic-ai/mcpb@2.1.2";

const syncOnly = process.argv.includes("--sync");

await run(process.execPath, [join(ROOT, "scripts/build.mjs")]);
const changed = await syncManifest();
process.stderr.write(
  `manifest.json ${changed ? "updated from the built server" : "already matches the built server"}\n`,
);
if (!syncOnly) {
  await run(...mcpb("validate", MANIFEST));
  stageBundle();
  rmSync(OUTPUT, { force: true });
  await run(...mcpb("pack", STAGE, OUTPUT));
  process.stderr.write(`${OUTPUT}: ${(statSync(OUTPUT).size / 1e3).toFixed(0)} KB\n`);
}

/** Rewrites the parts of manifest.json the server owns; returns whether anything changed. */
async function syncManifest() {
  const current = JSON.parse(readFileSync(MANIFEST, "utf8"));
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const served = await describeBuiltServer();
  const synced = { ...current, version, tools: served.tools, prompts: served.prompts };
  if (JSON.stringify(synced) === JSON.stringify(current)) return false;
  writeFileSync(MANIFEST, `${JSON.stringify(synced, null, 2)}\n`);
  // The repo's formatter owns the layout (short arrays on one line), so `npm run lint` stays clean.
  await run(join(ROOT, "node_modules/.bin/biome"), ["format", "--write", MANIFEST]);
  return true;
}

/** Tools and prompts of the built server as Claude Desktop starts it: no flags, no key. */
async function describeBuiltServer() {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(ROOT, "dist/index.js")],
    env: { PATH: process.env.PATH ?? "" },
    stderr: "ignore",
  });
  const client = new Client({ name: "mcpb-manifest-sync", version: "1.0.0" });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const { prompts } = await client.listPrompts();
    const described = [];
    for (const prompt of prompts) {
      const names = (prompt.arguments ?? []).map((argument) => argument.name);
      // The manifest's text is a template: each argument becomes the ${arguments.name} placeholder.
      const placeholders = Object.fromEntries(names.map((name) => [name, `\${arguments.${name}}`]));
      const { messages } = await client.getPrompt({ name: prompt.name, arguments: placeholders });
      const text = messages.map((message) => (message.content.type === "text" ? message.content.text : "")).join("\n");
      described.push({ name: prompt.name, description: prompt.description ?? "", arguments: names, text });
    }
    return {
      tools: tools.map(({ name, description }) => ({ name, description: description ?? "" })),
      prompts: described,
    };
  } finally {
    await client.close();
  }
}

function stageBundle() {
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  copyFileSync(MANIFEST, join(STAGE, "manifest.json"));
  cpSync(join(ROOT, "dist"), join(STAGE, "dist"), { recursive: true });
  for (const file of ["README.md", "LICENSE"])
    if (existsSync(join(ROOT, file))) copyFileSync(join(ROOT, file), join(STAGE, file));
}

function mcpb(...args) {
  const local = join(ROOT, "node_modules/.bin/mcpb");
  return existsSync(local) ? [local, args] : ["npx", ["-y", MCPB_PACKAGE, ...args]];
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")}: exit ${code}`)),
    );
  });
}
