// What a route handler receives and returns; handlers are pure over the store and throw ApiError.
import type { EmulatorStore } from "../store.js";

export interface RouteContext {
  store: EmulatorStore;
  /** The decoded `{id}` path segment, when the route has one. */
  id: string;
  query: URLSearchParams;
  /** The request body parsed as JSON (empty body = undefined); throws a 400 ApiError on malformed JSON. */
  json(): unknown;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export type RouteHandler = (context: RouteContext) => RouteResult;

export const ok = (body: unknown): RouteResult => ({ status: 200, body });
