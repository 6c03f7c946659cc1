// What the SQL store needs from an engine: rows in, rows out, one exclusive transaction for migrations. SQL is
// written once with `?` placeholders in the subset SQLite and PostgreSQL share (ON CONFLICT, RETURNING).
import type { StoreEngine } from "../types.js";

export type Row = Record<string, unknown>;

export interface Queryer {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  hasTable(name: string): Promise<boolean>;
}

export interface SqlDriver extends Queryer {
  readonly engine: StoreEngine;
  readonly location: string;
  /** Runs `work` in one transaction that excludes every other process's `exclusive` (migrations). */
  exclusive<T>(work: (tx: Queryer) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?` → `$1, $2, …` for PostgreSQL (our SQL never has a `?` inside a literal). */
export function numberedPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** Both engines may hand back BIGINT/COUNT as strings (pg) or bigint: a JS number (ms times, counts fit). */
export function toNumber(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}
