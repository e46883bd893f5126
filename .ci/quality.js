// The report of .ci/quality, from what that script gathered: one table row per page, each with
// its Lighthouse metrics and its Nu Html Checker messages under it, then the targets.
// Exits 1 when a page has an HTML error or could not be fetched, 0 otherwise: the targets only
// inform.
//
// Usage: node .ci/quality.js MANIFEST WASM_BYTES WASM_FILES
//   MANIFEST: one page a line, tab-separated: type, path, HTML bytes, HTML bytes after brotli,
//     curl's exit status, Lighthouse JSON report ("" when Lighthouse was skipped), Lighthouse's
//     exit status, vnu JSON output.
//   WASM_BYTES: the islands' wasm files after brotli, added up ("" when there is none);
//   WASM_FILES: how many files that is.
"use strict";
const fs = require("fs");

const [manifestPath, wasmBytesArg, wasmFilesArg] = process.argv.slice(2);
const KB = 1024; // as .ci/bench counts its KB

// The issue's targets: mobile performance score per page type, and the islands' wasm.
const PERFORMANCE_TARGETS = { home: 95, commune: 95, "département": 95, offres: 95, offre: 95, aides: 95, carte: 90 };
const WASM_TARGET_KB = 300;

const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
};

// What Lighthouse says of one page: null when it was skipped.
function lighthouse(file, status) {
  if (file === "") return null;
  const report = status === "0" ? readJson(file) : null;
  if (!report) return { failed: `Lighthouse failed (exit status ${status})` };
  // A page Lighthouse could not load (NO_FCP and the like) has no figures worth printing.
  if (report.runtimeError) return { failed: `Lighthouse runtime error ${report.runtimeError.code}: ${report.runtimeError.message}` };
  const score = (c) => {
    const s = report.categories?.[c]?.score;
    return typeof s === "number" ? Math.round(s * 100) : null;
  };
  const numeric = (id) => {
    const v = report.audits?.[id]?.numericValue;
    return typeof v === "number" ? v : null;
  };
  // JS and wasm as Chromium actually downloaded them: Lighthouse's Chromium asks with
  // `Accept-Encoding: br` (among others), so transferSize is the compressed size plus headers,
  // what a phone would pay for, not the size on disk.
  let scriptBytes = 0;
  let scriptRequests = 0;
  for (const item of report.audits?.["network-requests"]?.details?.items ?? []) {
    let path;
    try {
      path = new URL(item.url).pathname;
    } catch {
      continue;
    }
    if (/\.(m?js|wasm)$/i.test(path)) {
      scriptBytes += item.transferSize ?? 0;
      scriptRequests += 1;
    }
  }
  // What cost points outside performance, so a drop can be followed up.
  const lost = [];
  for (const c of ["accessibility", "best-practices", "seo"]) {
    for (const ref of report.categories?.[c]?.auditRefs ?? []) {
      const audit = report.audits?.[ref.id];
      if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) lost.push(`${c}: ${audit.id} — ${audit.title}`);
    }
  }
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    seo: score("seo"),
    fcp: numeric("first-contentful-paint"),
    lcp: numeric("largest-contentful-paint"),
    tbt: numeric("total-blocking-time"),
    cls: numeric("cumulative-layout-shift"),
    scriptBytes,
    scriptRequests,
    lost,
  };
}

// The checker's messages of one page: every error counts, warnings are shown but not counted.
function vnu(file) {
  const messages = readJson(file)?.messages;
  if (!Array.isArray(messages)) return { errors: [{ type: "error", message: "no readable output from the Nu Html Checker" }], warnings: [] };
  return {
    errors: messages.filter((m) => m.type === "error" || m.type === "non-document-error"),
    warnings: messages.filter((m) => m.type === "info" && m.subType === "warning"),
  };
}

const pages = fs
  .readFileSync(manifestPath, "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => {
    const [type, path, html, htmlBr, fetchStatus, lhFile, lhStatus, vnuFile] = line.split("\t");
    const fetched = fetchStatus === "0";
    return {
      type,
      path,
      html: fetched ? html : "n/a",
      htmlBr: fetched ? htmlBr : "n/a",
      fetchError: fetched ? null : `could not fetch the page (curl exit status ${fetchStatus})`,
      lh: lighthouse(lhFile ?? "", lhStatus ?? ""),
      vnu: fetched ? vnu(vnuFile) : null,
    };
  });

const na = (v, f = String) => (v === null || v === undefined ? "n/a" : f(v));
const ms = (v) => `${Math.round(v)} ms`;
const columns = [
  { title: "page", left: true, value: (p) => p.type },
  { title: "path", left: true, value: (p) => p.path },
  { title: "HTML B", value: (p) => p.html },
  { title: "HTML br B", value: (p) => p.htmlBr },
  { title: "JS+wasm br B", value: (p) => (p.lh && !p.lh.failed ? String(p.lh.scriptBytes) : "n/a") },
  { title: "JS+wasm req", value: (p) => (p.lh && !p.lh.failed ? String(p.lh.scriptRequests) : "n/a") },
  { title: "performance", value: (p) => (p.lh && !p.lh.failed ? na(p.lh.performance) : "n/a") },
  { title: "HTML errors", value: (p) => (p.vnu ? String(p.vnu.errors.length) : "n/a") },
];
const widths = columns.map((c) => Math.max(c.title.length, ...pages.map((p) => c.value(p).length)));
const row = (cells) => cells.map((cell, i) => (columns[i].left ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd();

console.log(row(columns.map((c) => c.title)));
let htmlFailed = false;
for (const p of pages) {
  console.log(row(columns.map((c) => c.value(p))));
  if (p.lh?.failed) console.log(`    ${p.lh.failed}`);
  else if (p.lh) {
    const l = p.lh;
    console.log(
      `    FCP ${na(l.fcp, ms)}, LCP ${na(l.lcp, ms)}, TBT ${na(l.tbt, ms)}, CLS ${na(l.cls, (v) => v.toFixed(3))};` +
        ` accessibility ${na(l.accessibility)}, best practices ${na(l.bestPractices)}, SEO ${na(l.seo)}`,
    );
    for (const line of l.lost) console.log(`    ${line}`);
  }
  if (p.fetchError) {
    htmlFailed = true;
    console.log(`    error: ${p.fetchError}`);
  }
  if (p.vnu) {
    if (p.vnu.errors.length > 0) htmlFailed = true;
    for (const m of [...p.vnu.errors, ...p.vnu.warnings]) {
      const kind = m.type === "info" ? "warning" : "error";
      const at = m.lastLine === undefined ? "" : ` at ${m.lastLine}.${m.firstColumn ?? m.lastColumn}`;
      console.log(`    ${kind}${at}: ${m.message}`);
      if (m.extract) console.log(`        ${JSON.stringify(m.extract)}`);
    }
  }
}

console.log("\nTargets (informational: only HTML errors fail this script):");
for (const p of pages) {
  const target = PERFORMANCE_TARGETS[p.type];
  if (target === undefined) continue;
  const what = `performance ≥ ${target} on ${p.type} ${p.path}`;
  if (!p.lh) console.log(`SKIP ${what}: Lighthouse skipped`);
  else if (p.lh.failed || p.lh.performance === null) console.log(`FAIL ${what}: no score`);
  else console.log(`${p.lh.performance >= target ? "PASS" : "FAIL"} ${what}: ${p.lh.performance}`);
}
const wasmWhat = `islands wasm ≤ ${WASM_TARGET_KB} KB brotli (target/site/pkg)`;
if (!wasmBytesArg) console.log(`FAIL ${wasmWhat}: no .wasm file found`);
else {
  const kb = Number(wasmBytesArg) / KB;
  console.log(`${kb <= WASM_TARGET_KB ? "PASS" : "FAIL"} ${wasmWhat}: ${kb.toFixed(1)} KB in ${wasmFilesArg} file(s) (${wasmBytesArg} B)`);
}

if (htmlFailed) {
  console.error("\nHTML errors found (see above)");
  process.exit(1);
}
console.log("\nno HTML error");
