// The MCP SDK's Node platform shim, as this bundle resolves it (scripts/build.mjs): the SDK's own
// @cfworker/json-schema validator instead of its ajv one. The SDK only validates JSON Schema for elicitation
// answers and fromJsonSchema(), which this server uses neither of; ajv is a quarter of the start-up bundle.
// `process` is Node's global: an ESM import of node:process builds its facade of every export, a few ms of each start.

export const process = globalThis.process;
export { CfWorkerJsonSchemaValidator as DefaultJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker";
