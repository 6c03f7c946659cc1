// The project's own typed errors that every floor may throw: a tool input that cannot be used and a setting the
// server cannot start with. A leaf: it imports nothing, so anything may import it.

/** Thrown by handlers for input that passed the schema but still cannot be sent (e.g. nothing to change). */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolInputError";
  }
}

/** A setting the server cannot start with; `exitCode` 2 when it is a refusal to serve as asked (hosting). */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
