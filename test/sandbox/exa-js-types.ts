// Checks a JSON value against a type exa-js ships (its declarations are generated from Exa's OpenAPI file,
// which we may not commit). The TypeScript checker resolves the type; this walks it beside the value: every
// required property present, every literal and enum value one Exa allows, every array element, every union
// member tried. Properties the type does not declare are reported too: a receiver must not learn to read a
// field Exa never sends.
import ts from "typescript";

// A file that exists only in memory, placed here so the module resolver finds the project's node_modules.
const ENTRY = new URL("./__exa-js-type-check__.ts", import.meta.url).pathname;
const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  types: [],
};

/**
 * Where exa-js's types are stricter than Exa's OpenAPI file: the file marks these `$ref` properties
 * `nullable: true` beside the `$ref`, and exa-js's generator (OpenAPI 3.0 rules: siblings of a `$ref` are
 * ignored) drops the null. Null is what Exa sends for a search never canceled, an import that did not fail,
 * a monitor that has not run yet.
 */
const NULLABLE_IN_EXA_OPENAPI = new Set(["$.data.canceledReason", "$.data.failedReason", "$.data.lastRun"]);
/** Export events have no payload schema in Exa's OpenAPI file, so exa-js's `Event` union leaves them out. */
export const WITHOUT_PAYLOAD_SCHEMA = new Set(["webset.export.created", "webset.export.completed"]);

/** The problems of `value` as `type`, each "path: what is wrong"; empty when it conforms. */
export type TypeCheck = (value: unknown) => string[];

/**
 * Resolves type expressions over exa-js's exports, named `exa.`: `exa.Event`, `Omit<exa.Event, "data">`. One
 * program for all of them: loading exa-js's declarations is what takes the time.
 */
export function exaJsTypes<const T extends readonly string[]>(expressions: T): { [K in keyof T]: TypeCheck } {
  const lines = expressions.map((expression, i) => `export declare const checked${i}: ${expression};`);
  const source = `import type * as exa from "exa-js";\n${lines.join("\n")}\n`;
  const host = ts.createCompilerHost(OPTIONS);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) =>
    file === ENTRY ? ts.createSourceFile(file, source, language) : getSourceFile(file, language, ...rest);
  host.fileExists = (file) => file === ENTRY || fileExists(file);
  host.readFile = (file) => (file === ENTRY ? source : readFile(file));
  const program = ts.createProgram([ENTRY], OPTIONS, host);
  const entry = program.getSourceFile(ENTRY) as ts.SourceFile;
  const diagnostics = ts.getPreEmitDiagnostics(program, entry);
  if (diagnostics.length > 0) {
    throw new Error(`exa-js types: ${ts.flattenDiagnosticMessageText(diagnostics[0]?.messageText, " ")}`);
  }
  const checker = program.getTypeChecker();
  return expressions.map((_, i) => {
    const statement = entry.statements[i + 1] as ts.VariableStatement;
    const declaration = statement.declarationList.declarations[0] as ts.VariableDeclaration;
    const type = checker.getTypeAtLocation(declaration.name);
    return (value: unknown) => problems(checker, type, value, "$");
  }) as { [K in keyof T]: TypeCheck };
}

function problems(checker: ts.TypeChecker, type: ts.Type, value: unknown, path: string): string[] {
  const { flags } = type;
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
  if (type.isUnion()) {
    let best: string[] | undefined;
    // A discriminated union (Event by `type`, properties by `type`) is judged by the members the value names.
    const named = type.types.filter((member) => discriminantsMatch(checker, member, value));
    for (const member of named.length > 0 ? named : type.types) {
      const found = problems(checker, member, value, path);
      if (found.length === 0) return [];
      if (best === undefined || found.length < best.length) best = found;
    }
    return best ?? [`${path}: matches no member of ${checker.typeToString(type)}`];
  }
  if (type.isIntersection()) return type.types.flatMap((member) => problems(checker, member, value, path));
  const shown = (): string => JSON.stringify(value)?.slice(0, 80) ?? String(value);
  const expect = (ok: boolean): string[] => (ok ? [] : [`${path}: ${shown()} is not ${checker.typeToString(type)}`]);
  if (flags & ts.TypeFlags.Null) return expect(value === null);
  if (flags & ts.TypeFlags.Undefined) return expect(value === undefined);
  if (type.isStringLiteral() || type.isNumberLiteral()) return expect(value === type.value);
  if (flags & ts.TypeFlags.BooleanLiteral) return expect(value === (checker.typeToString(type) === "true"));
  if (flags & ts.TypeFlags.StringLike) return expect(typeof value === "string");
  if (flags & ts.TypeFlags.NumberLike) return expect(typeof value === "number" && Number.isFinite(value));
  if (flags & ts.TypeFlags.BooleanLike) return expect(typeof value === "boolean");
  if (checker.isArrayType(type)) {
    if (!Array.isArray(value)) return expect(false);
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    return value.flatMap((item, i) => (element ? problems(checker, element, item, `${path}[${i}]`) : []));
  }
  if (!(flags & ts.TypeFlags.Object)) return [`${path}: type ${checker.typeToString(type)} is not checked here`];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return expect(false);
  const record = value as Record<string, unknown>;
  const found: string[] = [];
  const declared = new Set<string>();
  for (const property of checker.getPropertiesOfType(type)) {
    declared.add(property.name);
    const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
    if (!Object.hasOwn(record, property.name)) {
      if (!optional) found.push(`${path}.${property.name}: required, missing`);
      continue;
    }
    // An optional property reads as `T | undefined`; JSON has no undefined, so only T's members can match.
    found.push(
      ...problems(checker, checker.getTypeOfSymbol(property), record[property.name], `${path}.${property.name}`),
    );
  }
  const indexes = checker.getIndexInfosOfType(type);
  for (const [key, item] of Object.entries(record)) {
    if (declared.has(key)) continue;
    const index = indexes[0];
    if (index) found.push(...problems(checker, index.type, item, `${path}.${key}`));
    else found.push(`${path}.${key}: not a property of ${checker.typeToString(type)}`);
  }
  return found;
}

/** The member's string-literal properties (`type: "webset.created"`) all hold in `value`. */
function discriminantsMatch(checker: ts.TypeChecker, member: ts.Type, value: unknown): boolean {
  if (!(member.flags & ts.TypeFlags.Object) || typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return checker.getPropertiesOfType(member).every((property) => {
    const type = checker.getTypeOfSymbol(property);
    return !type.isStringLiteral() || record[property.name] === type.value;
  });
}

/** What is wrong with an event as Exa's Event, apart from the nulls exa-js's types cannot express. */
export function exaEventCheck(): {
  /** exa-js's Event as it is. */
  eventCheck: TypeCheck;
  /** Exa's Event, with the two corrections above. */
  eventProblems: (event: { type?: unknown; data?: unknown }) => string[];
} {
  const [eventCheck, envelopeCheck] = exaJsTypes(["exa.Event", 'Omit<exa.Event, "type" | "data">']);
  const eventProblems = (event: { type?: unknown; data?: unknown }): string[] => {
    if (WITHOUT_PAYLOAD_SCHEMA.has(event.type as string)) {
      const { type: _type, data, ...envelope } = event;
      const dataIsObject = typeof data === "object" && data !== null && !Array.isArray(data);
      return [...envelopeCheck(envelope), ...(dataIsObject ? [] : ["$.data: not an object"])];
    }
    return eventCheck(event).filter((problem) => {
      const [path, rest] = problem.split(": ", 2);
      return !(NULLABLE_IN_EXA_OPENAPI.has(path as string) && rest?.startsWith("null is not"));
    });
  };
  return { eventCheck, eventProblems };
}
