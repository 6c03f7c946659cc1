// The map at the top of docs/architecture.md, enforced: every relative import in src/ (static, type-only and
// dynamic) goes to the importer's own folder or to a folder on a lower floor; the leaves (floor 1) may use each
// other but nothing above them. A folder missing from the map fails too, so the map stays the tree.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const LEAF_FLOOR = 1;

/** "src/text/" or "src/errors.ts" → floor, from the map's table rows: | 1 | `src/text/` | … |. */
function readMap(): Map<string, number> {
  const doc = readFileSync(path.join(ROOT, "docs/architecture.md"), "utf8");
  const floors = new Map<string, number>();
  for (const [, floor, folder] of doc.matchAll(/^\| (\d+) \| `(src\/[^`]+)` \|/gm)) {
    floors.set(folder as string, Number(floor));
  }
  return floors;
}

/** The map's name for the folder a file of src/ belongs to: its top-level folder, or itself at the top. */
function folderOf(file: string): string {
  const [first, ...rest] = path.relative("src", file).split(path.sep);
  return rest.length ? `src/${first}/` : `src/${first}`;
}

function sourceFiles(dir = "src"): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [file] : [];
  });
}

// `import … from "./x.js"`, `export … from "./x.js"`, `import "./x.js"` and `import("./x.js")`.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

interface Edge {
  from: string;
  to: string;
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(RELATIVE_IMPORT)].map(([, specifier]) => ({
    from: file,
    to: path.normalize(path.join(path.dirname(file), specifier as string)).replace(/\.js$/, ".ts"),
  }));
}

/** Why `edge` breaks the map, or undefined when it keeps it. */
function breach(edge: Edge, floors: Map<string, number>): string | undefined {
  const from = folderOf(edge.from);
  const to = folderOf(edge.to);
  if (from === to) return undefined;
  const fromFloor = floors.get(from);
  const toFloor = floors.get(to);
  if (fromFloor === undefined) return `${from} is not on the map in docs/architecture.md`;
  if (toFloor === undefined) return `${to} is not on the map in docs/architecture.md`;
  if (toFloor < fromFloor || (toFloor === LEAF_FLOOR && fromFloor === LEAF_FLOOR)) return undefined;
  return `${edge.from} imports ${edge.to}: floor ${toFloor} is not below floor ${fromFloor}`;
}

describe("no file imports from a folder above its own", () => {
  const floors = readMap();

  it("the map names the leaves on floor 1 and every folder of src/", () => {
    for (const leaf of ["src/errors.ts", "src/text/", "src/net/"]) expect(floors.get(leaf), leaf).toBe(LEAF_FLOOR);
    const folders = new Set(sourceFiles().map(folderOf));
    expect([...folders].filter((folder) => !floors.has(folder))).toEqual([]);
  });

  it("the rule bites: an upward, a sideways and an unmapped import are each refused", () => {
    expect(breach({ from: "src/text/untrusted.ts", to: "src/exa/errors.ts" }, floors)).toMatch(/floor 2 is not below/);
    expect(breach({ from: "src/sandbox/store.ts", to: "src/redeliver/run.ts" }, floors)).toMatch(/not below/);
    expect(breach({ from: "src/tools/x.ts", to: "src/nowhere/y.ts" }, floors)).toMatch(/not on the map/);
    expect(breach({ from: "src/net/post.ts", to: "src/text/untrusted.ts" }, floors)).toBeUndefined();
  });

  it("every import in src/ keeps the map", () => {
    const edges = sourceFiles().flatMap(importsOf);
    expect(edges.length).toBeGreaterThan(100);
    const breaches = edges.map((edge) => breach(edge, floors)).filter(Boolean);
    expect(breaches).toEqual([]);
  });
});

describe("the README's Design section", () => {
  it("links the map and names every folder of src/ on it", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const design = readme.slice(
      readme.indexOf("\n## Design\n"),
      readme.indexOf("\n## ", readme.indexOf("\n## Design\n") + 1),
    );
    expect(design).toContain("](docs/architecture.md)");
    const folders = new Set(sourceFiles().map(folderOf));
    expect([...folders].filter((folder) => !design.includes(`\`${folder}\``))).toEqual([]);
  });
});
