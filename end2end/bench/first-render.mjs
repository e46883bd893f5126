// Time to first render of a page's map in Debian's headless Chromium, with the flags of the
// browser tests: from navigation start to the first frame MapLibre draws with every source
// loaded (the islands' bundle and MapLibre, loaded once the page is idle, included). Prints each
// run with the moments it went through (MapLibre's script run, islands live, map made, each
// source loaded), then the median of each. Usage: node bench/first-render.mjs URL RUNS
import { chromium } from "@playwright/test";

const [url, runs = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

// Runs in the page from its start: notes when each step of the map's loading is first seen.
function watchSteps() {
  const steps = (window.__mapSteps = {});
  const note = (name) => { if (!(name in steps)) steps[name] = performance.now(); };
  const look = () => {
    if (window.maplibregl) note("maplibre script run");
    if (document.body?.dataset.hydrated) note("islands live");
    const map = document.getElementById("carte-canvas")?.maplibreMap;
    if (map && !("map made" in steps)) {
      note("map made");
      map.on("sourcedata", (event) => { if (event.isSourceLoaded) note(`source ${event.sourceId} loaded`); });
      map.on("load", () => note("map load event"));
    }
    if (!("map made" in steps)) requestAnimationFrame(look);
  };
  document.addEventListener("DOMContentLoaded", () => note("DOMContentLoaded"));
  addEventListener("load", () => note("load event"));
  requestAnimationFrame(look);
}

const times = [];
const allSteps = [];
for (let i = 0; i < Number(runs); i++) {
  // A new context each time: nothing cached, as a first visit.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(watchSteps);
  const page = await context.newPage();
  await page.goto(url);
  // MapLibre comes when the map nears the viewport: a map below the fold is scrolled to.
  await page.locator("#carte-canvas").scrollIntoViewIfNeeded();
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const done = () => {
      const map = document.getElementById("carte-canvas")?.maplibreMap;
      if (!map || !map.loaded() || !map.areTilesLoaded() || !map.isStyleLoaded()) return false;
      resolve(performance.now());
      return true;
    };
    const poll = () => { if (!done()) requestAnimationFrame(poll); };
    poll();
  }));
  const steps = await page.evaluate(() => window.__mapSteps);
  const paint = await page.evaluate(() =>
    performance.getEntriesByType("paint").find((entry) => entry.name === "first-contentful-paint")?.startTime);
  if (paint !== undefined) steps["first contentful paint"] = paint;
  times.push(ms);
  allSteps.push(steps);
  const order = Object.entries(steps).sort((a, b) => a[1] - b[1]);
  console.log(`run ${i + 1}: ${(ms / 1000).toFixed(2)} s (${order.map(([name, at]) => `${name} ${Math.round(at)} ms`).join(", ")})`);
  await context.close();
}
await browser.close();
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const names = [...new Set(allSteps.flatMap((steps) => Object.keys(steps)))];
const medians = names
  .map((name) => [name, median(allSteps.map((steps) => steps[name]).filter((at) => at !== undefined))])
  .sort((a, b) => a[1] - b[1]);
for (const [name, at] of medians) console.log(`  ${name}: ${Math.round(at)} ms (median)`);
console.log(`time to first render (median of ${times.length}): ${(median(times) / 1000).toFixed(2)} s`);
