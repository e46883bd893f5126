// Time to first render of a page's map in Debian's headless Chromium, with the flags of the
// browser tests: from navigation start to the first frame MapLibre draws with every source
// loaded (the islands' bundle and MapLibre, loaded once the page is idle, included). Prints each run and the median. Usage: node bench/first-render.mjs URL RUNS
import { chromium } from "@playwright/test";

const [url, runs = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
const times = [];
for (let i = 0; i < Number(runs); i++) {
  // A new context each time: nothing cached, as a first visit.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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
  times.push(ms);
  console.log(`run ${i + 1}: ${(ms / 1000).toFixed(2)} s`);
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`time to first render (median of ${times.length}): ${(times[Math.floor(times.length / 2)] / 1000).toFixed(2)} s`);
