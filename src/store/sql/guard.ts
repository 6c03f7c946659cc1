// Every query of an open store goes through here: an engine's failure becomes a StoreOperationError with one
// clean line (pg errors can carry the connection's password; never pass them on whole).
import { StoreOperationError } from "../types.js";
import type { Queryer, SqlDriver } from "./driver.js";

/** Connection-level failures: the same call may work once the server is back. */
const TRANSIENT = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[1-3]|08\w{3}|ERR_SQLITE_ERROR:5)$/;

export function describeEngineError(error: unknown): { line: string; code: string } {
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  const errcode = typeof e?.errcode === "number" ? `:${e.errcode & 0xff}` : "";
  const message = typeof e?.message === "string" ? e.message : String(error);
  const line = (message.split("\n")[0] ?? "").replace(/postgres(ql)?:\/\/[^\s@]*@/gi, "postgres://***@").slice(0, 200);
  return { line: line || code || "unknown error", code: `${code}${errcode}` };
}

export function isTransient(error: unknown): boolean {
  const { code, line } = describeEngineError(error);
  return TRANSIENT.test(code) || /Connection terminated|connection timeout|database is locked/i.test(line);
}

function guard<T>(call: () => Promise<T>): Promise<T> {
  return call().catch((error: unknown) => {
    if (error instanceof StoreOperationError) throw error;
    throw new StoreOperationError(describeEngineError(error).line, isTransient(error), { cause: error });
  });
}

export function guarded(driver: SqlDriver): Queryer {
  return {
    all: (sql, params) => guard(() => driver.all(sql, params)),
    run: (sql, params) => guard(() => driver.run(sql, params)),
    hasTable: (name) => guard(() => driver.hasTable(name)),
  };
}

export { guard };
