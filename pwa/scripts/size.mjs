#!/usr/bin/env node
// Bundle size of the app shell: every file the service worker precaches that the browser needs
// to start (JS, CSS, HTML, manifest), raw and gzip -9; and, from the source map, which packages
// the JavaScript is made of. Run after `npm run build`.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
if (!existsSync(resolve(dist, "sw.js"))) {
  console.error("no dist/sw.js: run `npm run build` first");
  process.exit(1);
}
const sw = readFileSync(resolve(dist, "sw.js"), "utf8");
const precache = JSON.parse(/const PRECACHE = (\[.*?\]);/.exec(sw)[1]).filter((f) => f !== "./");
const shell = precache.filter((f) => /\.(js|css|html|webmanifest)$/.test(f));
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

let raw = 0;
let zipped = 0;
console.log("app shell (what the browser loads to start):");
for (const file of [...shell, "sw.js"]) {
  const buf = readFileSync(resolve(dist, file));
  raw += buf.length;
  zipped += gz(buf);
  console.log(`  ${file.padEnd(40)} ${kb(buf.length).padStart(10)}  gzip ${kb(gz(buf)).padStart(9)}`);
}
console.log(`  ${"total".padEnd(40)} ${kb(raw).padStart(10)}  gzip ${kb(zipped).padStart(9)}`);
const icons = precache.filter((f) => !shell.includes(f));
const iconBytes = icons.reduce((n, f) => n + readFileSync(resolve(dist, f)).length, 0);
console.log(`precached icons: ${icons.length} files, ${kb(iconBytes)}`);

// Attribution by package from the JS source maps (original source lengths, before minification:
// a guide to what dominates, not exact minified bytes).
for (const file of shell.filter((f) => f.endsWith(".js"))) {
  const mapPath = resolve(dist, `${file}.map`);
  if (!existsSync(mapPath)) continue;
  const map = JSON.parse(readFileSync(mapPath, "utf8"));
  const byPackage = new Map();
  map.sources.forEach((source, i) => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    const name = m ? m[1] : "app (src/)";
    byPackage.set(name, (byPackage.get(name) ?? 0) + (map.sourcesContent?.[i]?.length ?? 0));
  });
  const total = [...byPackage.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${file}: share of original source by package`);
  for (const [name, size] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${name.padEnd(28)} ${((100 * size) / total).toFixed(1).padStart(5)}%`);
  }
}
