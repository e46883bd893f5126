// Time to first render of a page's map in Debian's headless Chromium, with the flags of the
// browser tests: from navigation start to the region's picture shown (where the map has one),
// and to the first frame MapLibre draws with every source loaded (the islands' bundle and
// MapLibre included; for a map shown first as a picture, its button pressed as soon as the
// picture is there, and the time from the press too). Prints each
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
  const note = (name, at = performance.now()) => { if (!(name in steps)) steps[name] = at; };
  // The picture counts as shown when the browser painted it (its largest-contentful-paint
  // entry), not when its bytes arrived.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.url?.includes("/carte/couches/apercu")) note("region picture shown", entry.renderTime || entry.startTime);
    }
  }).observe({ type: "largest-contentful-paint", buffered: true });
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
const liveTimes = [];
const allSteps = [];
for (let i = 0; i < Number(runs); i++) {
  // A new context each time: nothing cached, as a first visit.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(watchSteps);
  const page = await context.newPage();
  await page.goto(url);
  // MapLibre comes when the map nears the viewport: a map below the fold is scrolled to. A map
  // shown first as a picture (the region's) waits for its button: pressed once the picture is
  // shown, as a visitor would at the earliest.
  await page.locator("#carte-canvas").scrollIntoViewIfNeeded();
  let pressed;
  if (await page.locator("#carte-canvas .map-start").count()) {
    await page.waitForFunction(() => "region picture shown" in window.__mapSteps, null, { timeout: 15_000 })
      .catch(() => console.log("  (the picture was never the page's largest paint: pressed without it)"));
    pressed = await page.evaluate(() => performance.now());
    await page.locator("#carte-canvas .map-start").click();
  }
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
  // The glyphs of the place names: when the last range arrived.
  const glyphs = await page.evaluate(() => Math.max(0, ...performance.getEntriesByType("resource")
    .filter((entry) => entry.name.endsWith(".pbf")).map((entry) => entry.responseEnd)));
  if (glyphs > 0) steps["glyphs loaded"] = glyphs;
  const paint = await page.evaluate(() =>
    performance.getEntriesByType("paint").find((entry) => entry.name === "first-contentful-paint")?.startTime);
  if (paint !== undefined) steps["first contentful paint"] = paint;
  if (pressed !== undefined) {
    steps["button pressed"] = pressed;
    liveTimes.push(ms - pressed);
  }
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
const picture = medians.find(([name]) => name === "region picture shown");
if (picture) console.log(`region picture shown (median of ${times.length}): ${(picture[1] / 1000).toFixed(2)} s`);
if (liveTimes.length) {
  console.log(`live map, from the button pressed to its first complete render (median): ${(median(liveTimes) / 1000).toFixed(2)} s`);
}
console.log(`time to first render of the live map (median of ${times.length}): ${(median(times) / 1000).toFixed(2)} s`);
