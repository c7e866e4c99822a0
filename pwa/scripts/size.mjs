#!/usr/bin/env node
// Bundle size of the app shell: every file the service worker precaches that the browser needs
// to start (JS, CSS, HTML, manifest), raw and gzip -9; and, from the source map, which packages
// the JavaScript is made of. Run after `npm run build`. `shellSize()` is also used by perf.mjs.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

export function shellSize(dist = DIST) {
  if (!existsSync(resolve(dist, "sw.js"))) throw new Error("no dist/sw.js: run `npm run build` first");
  const sw = readFileSync(resolve(dist, "sw.js"), "utf8");
  const precache = JSON.parse(/const PRECACHE = (\[.*?\]);/.exec(sw)[1]).filter((f) => f !== "./");
  const shell = precache.filter((f) => /\.(js|css|html|webmanifest)$/.test(f));
  const files = [...shell, "sw.js"].map((file) => {
    const buf = readFileSync(resolve(dist, file));
    return { file, raw: buf.length, gzip: gz(buf) };
  });
  const icons = precache.filter((f) => !shell.includes(f));
  return {
    files,
    raw: files.reduce((n, f) => n + f.raw, 0),
    gzip: files.reduce((n, f) => n + f.gzip, 0),
    js: files.filter((f) => f.file.endsWith(".js")).reduce((n, f) => n + f.gzip, 0),
    css: files.filter((f) => f.file.endsWith(".css")).reduce((n, f) => n + f.gzip, 0),
    iconBytes: icons.reduce((n, f) => n + readFileSync(resolve(dist, f)).length, 0),
    icons: icons.length,
    shell,
  };
}

/** Attribution by package from the JS source maps (original source lengths, before
 * minification: a guide to what dominates, not exact minified bytes). */
function attribution(dist, file) {
  const mapPath = resolve(dist, `${file}.map`);
  if (!existsSync(mapPath)) return [];
  const map = JSON.parse(readFileSync(mapPath, "utf8"));
  const byPackage = new Map();
  map.sources.forEach((source, i) => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    const name = m ? m[1] : /src\/contracts\//.test(source) ? "app: generated contracts" : "app (src/)";
    byPackage.set(name, (byPackage.get(name) ?? 0) + (map.sourcesContent?.[i]?.length ?? 0));
  });
  const total = [...byPackage.values()].reduce((a, b) => a + b, 0);
  return [...byPackage].sort((a, b) => b[1] - a[1]).map(([name, size]) => [name, (100 * size) / total]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = shellSize();
  console.log("app shell (what the browser loads to start):");
  for (const f of size.files)
    console.log(`  ${f.file.padEnd(40)} ${kb(f.raw).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}`);
  console.log(`  ${"total".padEnd(40)} ${kb(size.raw).padStart(10)}  gzip ${kb(size.gzip).padStart(9)}`);
  console.log(`precached icons: ${size.icons} files, ${kb(size.iconBytes)}`);
  for (const file of size.shell.filter((f) => f.endsWith(".js"))) {
    console.log(`\n${file}: share of original source by package`);
    for (const [name, share] of attribution(DIST, file).slice(0, 12))
      console.log(`  ${name.padEnd(28)} ${share.toFixed(1).padStart(5)}%`);
  }
}
