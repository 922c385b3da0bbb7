#!/usr/bin/env node
// Lint or push a folder of component docs (Markdown) to the catalog, from CI.
//
//   node tools/catalog-import.mjs <folder> [--url http://127.0.0.1:7071/api] [--dry-run] [--lint]
//
// Auth: CATALOG_TOKEN (a Bearer JWT) or CATALOG_API_KEY (X-Api-Key) from the environment.
// --lint posts each file to /validate and prints its findings (exit 1 when any file is invalid);
// otherwise the files go to /import in batches of 500 (exit 1 when any document is invalid or forbidden).
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith("--"));
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
if (!folder) {
  console.error("usage: node tools/catalog-import.mjs <folder> [--url URL] [--dry-run] [--lint]");
  process.exit(2);
}
const base = option("--url", process.env.CATALOG_URL ?? "http://127.0.0.1:7071/api").replace(/\/$/, "");
const headers = { "Content-Type": "application/json" };
if (process.env.CATALOG_TOKEN) headers.Authorization = `Bearer ${process.env.CATALOG_TOKEN}`;
if (process.env.CATALOG_API_KEY) headers["X-Api-Key"] = process.env.CATALOG_API_KEY;

async function* markdownFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) yield* markdownFiles(path);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith(".md")) yield path;
  }
}

async function post(path, body, contentType) {
  const response = await fetch(base + path, { method: "POST", headers: { ...headers, "Content-Type": contentType }, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

const files = [];
for await (const file of markdownFiles(folder)) files.push(file);
files.sort();
console.log(`${files.length} Markdown files under ${folder}`);
let failed = 0;

if (flag("--lint")) {
  for (const [i, file] of files.entries()) {
    const rel = relative(folder, file);
    const result = await post(`/validate?path=${encodeURIComponent(rel)}`, await readFile(file, "utf8"), "text/markdown");
    if (!result.valid) failed++;
    console.log(`[${i + 1}/${files.length}] ${rel}: score ${result.score}${result.valid ? "" : " INVALID"}`);
    for (const f of result.findings) console.log(`    ${f.severity.padEnd(7)} ${f.rule} (${f.section}): ${f.message}`);
  }
} else {
  const batchSize = 500;
  for (let start = 0; start < files.length; start += batchSize) {
    const batch = files.slice(start, start + batchSize);
    const documents = await Promise.all(batch.map(async (f) => ({ path: relative(folder, f), markdown: await readFile(f, "utf8") })));
    const { results } = await post("/import", JSON.stringify({ documents, dryRun: flag("--dry-run") }), "application/json");
    const counts = {};
    for (const r of results) {
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      if (r.status === "invalid" || r.status === "forbidden") {
        failed++;
        console.log(`  ${r.status}: ${r.path} ${JSON.stringify(r.errors ?? {})}`);
      }
    }
    console.log(`[${Math.min(start + batchSize, files.length)}/${files.length}] ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
