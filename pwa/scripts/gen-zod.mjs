#!/usr/bin/env node
// Generates src/contracts/zod.ts from the server's contracts (never edit that file by hand).
//
//   node scripts/gen-zod.mjs          write src/contracts/zod.ts
//   node scripts/gen-zod.mjs --check  exit 1 when the committed file is stale
//
// Input: ../contracts/openapi.json (components.schemas: every request/response model) and
// ../contracts/shared_types.json ($defs: the closed value lists and ErrorCode). Pydantic is the
// source of truth; this script only translates the subset of JSON Schema Pydantic emits.
//
// Two Pydantic behaviours JSON Schema cannot say, applied here as generator rules:
// - models that refuse unknown fields (additionalProperties: false) are the project's `Strict`
//   models, which also trim every string before validating it: their strings get `.trim()`;
// - lengths count code points (Python), not UTF-16 units (JavaScript): see runtime.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const contractsDir = resolve(here, "../../contracts");
const outFile = resolve(here, "../src/contracts/zod.ts");

const openapi = JSON.parse(readFileSync(resolve(contractsDir, "openapi.json"), "utf8"));
const shared = JSON.parse(readFileSync(resolve(contractsDir, "shared_types.json"), "utf8"));
const schemas = openapi.components.schemas;

const refName = (ref) => ref.split("/").pop();
const lit = (value) => JSON.stringify(value);

function refsOf(node, out = new Set()) {
  if (Array.isArray(node)) {
    for (const item of node) refsOf(item, out);
  } else if (node && typeof node === "object") {
    if (typeof node.$ref === "string") out.add(refName(node.$ref));
    for (const value of Object.values(node)) refsOf(value, out);
  }
  return out;
}

/** Dependencies first, otherwise alphabetical, so the output is stable and refs are declared. */
function ordered(names) {
  const done = new Set();
  const out = [];
  const visit = (name, stack) => {
    if (done.has(name)) return;
    if (stack.has(name)) throw new Error(`cyclic $ref through ${name}`);
    stack.add(name);
    for (const dep of [...refsOf(schemas[name])].sort()) visit(dep, stack);
    stack.delete(name);
    done.add(name);
    out.push(name);
  };
  for (const name of [...names].sort()) visit(name, new Set());
  return out;
}

function stringExpr(node, strict) {
  const format = node.format;
  let expr;
  if (format === "uuid") expr = "z.guid()";
  else if (format === "email") expr = "z.email()";
  else if (format === "date") expr = "z.iso.date()";
  else if (format === "date-time") expr = "z.iso.datetime({ offset: true })";
  else if (format) throw new Error(`unsupported string format ${format}`);
  else expr = "z.string()";
  // Pydantic trims `str` fields (plain text and emails) before checking them; uuid, date and
  // datetime fields are parsed as those types, untrimmed.
  if (strict && !format) expr += ".trim()";
  else if (strict && format === "email") expr = `z.string().trim().pipe(${expr})`;
  if (node.minLength !== undefined) expr += `.refine(...minChars(${node.minLength}))`;
  if (node.maxLength !== undefined) expr += `.refine(...maxChars(${node.maxLength}))`;
  if (node.pattern !== undefined) expr += `.regex(new RegExp(${lit(node.pattern)}), "Not in the expected format")`;
  return expr;
}

function numberExpr(node) {
  let expr = node.type === "integer" ? "z.int()" : "z.number()";
  if (node.minimum !== undefined) expr += `.min(${node.minimum})`;
  if (node.maximum !== undefined) expr += `.max(${node.maximum})`;
  if (node.exclusiveMinimum !== undefined) expr += `.gt(${node.exclusiveMinimum})`;
  if (node.exclusiveMaximum !== undefined) expr += `.lt(${node.exclusiveMaximum})`;
  return expr;
}

function objectExpr(node, indent) {
  const props = node.properties ?? {};
  const names = Object.keys(props);
  if (names.length === 0) {
    return node.additionalProperties === false ? "z.strictObject({})" : "z.record(z.string(), z.unknown())";
  }
  const strict = node.additionalProperties === false;
  const required = new Set(node.required ?? []);
  const pad = "  ".repeat(indent + 1);
  const lines = names.map((name) => {
    let expr = zodExpr(props[name], indent + 1, strict);
    if (!required.has(name)) expr += ".optional()";
    return `${pad}${name}: ${expr},`;
  });
  // Unknown fields: refused where Pydantic refuses them; kept (not stripped) on responses so an
  // older app passes newer server fields through untouched.
  const ctor = strict ? "z.strictObject" : "z.looseObject";
  return `${ctor}({\n${lines.join("\n")}\n${"  ".repeat(indent)}})`;
}

function zodExpr(node, indent = 0, strict = false) {
  if (node.$ref) return refName(node.$ref);
  if (node.anyOf) {
    const nonNull = node.anyOf.filter((n) => n.type !== "null");
    const nullable = nonNull.length < node.anyOf.length;
    const parts = nonNull.map((n) => zodExpr(n, indent, strict));
    const inner = parts.length === 1 ? parts[0] : `z.union([${parts.join(", ")}])`;
    return nullable ? `${inner}.nullable()` : inner;
  }
  if (node.const !== undefined) return `z.literal(${lit(node.const)})`;
  if (node.enum) return `z.enum(${lit(node.enum)})`;
  switch (node.type) {
    case "string":
      return stringExpr(node, strict);
    case "integer":
    case "number":
      return numberExpr(node);
    case "boolean":
      return "z.boolean()";
    case "null":
      return "z.null()";
    case "array": {
      let expr = `z.array(${node.items ? zodExpr(node.items, indent, strict) : "z.unknown()"})`;
      if (node.minItems !== undefined) expr += `.min(${node.minItems})`;
      if (node.maxItems !== undefined) expr += `.max(${node.maxItems})`;
      return expr;
    }
    case "object":
      return objectExpr(node, indent);
    case undefined:
      return "z.unknown()";
    default:
      throw new Error(`unsupported JSON Schema type ${node.type}`);
  }
}

function entityTable(names) {
  const entities = names
    .filter((n) => n.endsWith("Create") && names.includes(n.replace(/Create$/, "Read")))
    .map((n) => n.replace(/Create$/, ""));
  const rows = entities.map((base) => {
    const entity = base.toLowerCase();
    return `  ${entity}: { create: ${base}Create, update: ${base}Update, read: ${base}Read },`;
  });
  const defaults = entities.map((base) => {
    const props = schemas[`${base}Create`].properties;
    const pairs = Object.entries(props)
      .filter(([, p]) => p.default !== undefined && p.default !== null)
      .map(([k, p]) => `${k}: ${lit(p.default)}`);
    return `  ${base.toLowerCase()}: { ${pairs.join(", ")} },`;
  });
  return [
    "/** The record entities and their Create / Update / Read schemas. */",
    `export const recordSchemas = {\n${rows.join("\n")}\n} as const;`,
    "",
    "/** Server-side defaults of the Create schemas (applied when a field is absent). */",
    `export const createDefaults = {\n${defaults.join("\n")}\n} as const;`,
  ].join("\n");
}

function sharedEnums() {
  return Object.entries(shared.$defs ?? {})
    .filter(([, node]) => Array.isArray(node.enum))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, node]) =>
        `export const ${name}Values = ${lit(node.enum)} as const;\n` +
        `export type ${name} = (typeof ${name}Values)[number];`,
    )
    .join("\n");
}

function render() {
  const names = Object.keys(schemas);
  const body = ordered(names).map(
    // Pure: the bundler drops schemas the app never imports.
    (name) =>
      `export const ${name} = /* @__PURE__ */ ${zodExpr(schemas[name])};\n` +
      `export type ${name} = z.infer<typeof ${name}>;`,
  );
  return [
    "// GENERATED by scripts/gen-zod.mjs from ../contracts/openapi.json and",
    "// ../contracts/shared_types.json. Do not edit: run `npm run gen:zod`.",
    `// Contract: ${openapi.info.title} ${openapi.info.version} (OpenAPI ${openapi.openapi}).`,
    'import { z } from "zod";',
    'import { maxChars, minChars } from "./runtime";',
    "",
    sharedEnums(),
    "",
    body.join("\n\n"),
    "",
    entityTable(names),
    "",
  ].join("\n");
}

const text = render();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(outFile, "utf8");
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error("src/contracts/zod.ts is stale: run `npm run gen:zod` and commit the result");
    process.exit(1);
  }
  console.log("src/contracts/zod.ts is up to date");
} else {
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile} (${Object.keys(schemas).length} schemas)`);
}
