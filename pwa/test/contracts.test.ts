// Every fixture in ../contracts/fixtures/<entity>/{valid,invalid}/*.json through the generated
// Zod Create schema: the verdict must be Pydantic's (the server's tests hold Pydantic and the
// exported JSON Schema to the same files; see contracts/README.md). Markers:
// - `"json_schema_expressible": false`: a cross-field rule; the generated schema lets it pass,
//   the refinements (src/contracts/refinements.ts) must refuse it;
// - `"json_schema_gap"`: a rule the export does not carry yet; the generated schema must still
//   accept it, so closing the gap without removing the marker fails here as on the server.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createSchema } from "../src/contracts/refinements";
import { recordSchemas } from "../src/contracts/zod";

const root = resolve(__dirname, "../../contracts/fixtures");

interface Fixture {
  body: unknown;
  field?: string;
  json_schema_expressible?: boolean;
  json_schema_gap?: string;
}

const entities = existsSync(root)
  ? readdirSync(root)
      .filter((n) => !n.startsWith("."))
      .sort()
  : [];
const jsonFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith(".json"))
        .sort()
    : [];
const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Fixture;

describe("generated Zod schemas", () => {
  it("are up to date with ../contracts (npm run check:zod)", () => {
    execFileSync(process.execPath, [resolve(__dirname, "../scripts/gen-zod.mjs"), "--check"], { stdio: "pipe" });
  });
});

describe("contract fixtures", () => {
  it("exist", () => {
    const count = entities.flatMap((e) => [
      ...jsonFiles(join(root, e, "valid")),
      ...jsonFiles(join(root, e, "invalid")),
    ]).length;
    expect(count, `no fixtures under ${root}`).toBeGreaterThan(0);
  });

  for (const entity of entities) {
    describe(entity, () => {
      it("has a generated Create schema", () => {
        expect(Object.keys(recordSchemas)).toContain(entity);
      });
      const schema = recordSchemas[entity as keyof typeof recordSchemas]?.create;
      if (!schema) return;

      for (const name of jsonFiles(join(root, entity, "valid"))) {
        it(`accepts valid/${name}`, () => {
          const body = read(join(root, entity, "valid", name)).body;
          const result = schema.safeParse(body);
          expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
          expect(createSchema(entity as keyof typeof recordSchemas).safeParse(body).success).toBe(true);
        });
      }

      for (const name of jsonFiles(join(root, entity, "invalid"))) {
        const fixture = read(join(root, entity, "invalid", name));
        if (fixture.json_schema_gap !== undefined) {
          it(`invalid/${name}: a known export gap (${fixture.json_schema_gap})`, () => {
            const result = schema.safeParse(fixture.body);
            expect(result.success, "the gap is closed: remove the json_schema_gap marker").toBe(true);
          });
          continue;
        }
        if (fixture.json_schema_expressible === false) {
          it(`invalid/${name}: cross-field rule, refused by the refinements only`, () => {
            expect(schema.safeParse(fixture.body).success).toBe(true);
            const refined = createSchema(entity as keyof typeof recordSchemas).safeParse(fixture.body);
            expect(refined.success).toBe(false);
          });
          continue;
        }
        it(`refuses invalid/${name} on ${fixture.field}`, () => {
          const result = schema.safeParse(fixture.body);
          expect(result.success).toBe(false);
          if (fixture.field && fixture.field !== "__root__" && !result.success) {
            const paths = result.error.issues.map((i) => String(i.path[0] ?? ""));
            // An unknown field is reported by Zod at the object level, naming the key.
            const unknown = result.error.issues.some(
              (i) => i.code === "unrecognized_keys" && i.keys.includes(fixture.field ?? ""),
            );
            expect(paths.includes(fixture.field) || unknown, JSON.stringify(result.error.issues)).toBe(true);
          }
        });
      }
    });
  }
});
