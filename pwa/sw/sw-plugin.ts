// Emits dist/sw.js: the hand-written service worker with the build's file list to precache and
// a version derived from it (a new build = a new cache, the old one is deleted on activate).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Plugin } from "vite";

const template = resolve(import.meta.dirname, "service-worker.js");
const SKIP = [/^sw\.js$/, /\.map$/, /^stats\.html$/];

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split("\\").join("/"));
    }
  };
  walk(dir);
  return out;
}

export function serviceWorker(): Plugin {
  let publicDir = "";
  return {
    name: "pathsix-service-worker",
    apply: "build",
    enforce: "post",
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      const publicFiles = publicDir ? filesUnder(publicDir) : [];
      const files = [...new Set(["index.html", ...Object.keys(bundle), ...publicFiles])]
        .filter((name) => !SKIP.some((re) => re.test(name)))
        .sort();
      const hash = createHash("sha256");
      for (const name of files) {
        const item = bundle[name];
        hash.update(name);
        if (item?.type === "chunk") hash.update(item.code);
        else if (item?.type === "asset") hash.update(item.source);
        else hash.update(readFileSync(join(publicDir, name)));
      }
      const version = hash.digest("hex").slice(0, 16);
      const source =
        `const PRECACHE = ${JSON.stringify(["./", ...files])};\n` +
        `const VERSION = ${JSON.stringify(version)};\n` +
        readFileSync(template, "utf8");
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}
