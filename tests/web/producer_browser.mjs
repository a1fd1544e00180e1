// Drives Debian's chromium (headless, through playwright-core) over a
// producer's page, which needs no login: opens each URL at a phone's and a
// desk's size, keeps screenshots, and prints what it saw as one JSON
// object for test_producer_browser.py to check. Nothing is decided here.
//
// Usage: node producer_browser.mjs OUT_DIR URL...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [outDir, ...urls] = process.argv.slice(2);
const SIZES = [[360, 640], [1280, 800]];

async function inspect(page) {
  return await page.evaluate(() => {
    const amounts = [];
    for (const el of document.querySelectorAll("[data-k][data-v]")) {
      amounts.push({
        key: el.getAttribute("data-k"),
        bdi: el.tagName === "BDI",
        align: getComputedStyle(el.closest("td")).textAlign,
      });
    }
    return {
      dir: document.dir,
      lang: document.documentElement.lang,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      h1: document.querySelector("h1").textContent,
      injected: document.querySelectorAll("main img, main script").length,
      scripts: document.scripts.length,
      bars: document.querySelectorAll("svg rect.bar").length,
      svgWidth: document.querySelector("svg").getBoundingClientRect().width,
      amounts,
      font: getComputedStyle(document.body).fontFamily,
    };
  });
}

async function axe(page) {
  // Evaluated by the browser's debugger: the page's policy allows no script.
  await page.evaluate(axeSource + "\n;0");
  return await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map(v => ({ id: v.id, impact: v.impact,
      nodes: v.nodes.length, help: v.help }));
  });
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const out = { pages: [], dialogs: [], requests: [] };
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("dialog", async d => { out.dialogs.push(d.message()); await d.dismiss(); });
  page.on("request", r => out.requests.push(r.url()));
  for (const [i, u] of urls.entries()) {
    const entry = { url: u };
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      const resp = await page.goto(u);
      await page.evaluate(() => document.fonts.ready);
      const shot = path.join(outDir, `producer-${i}-${w}x${h}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      entry[`${w}x${h}`] = { status: resp.status(), shot,
        ...(await inspect(page)), axe: await axe(page) };
    }
    out.pages.push(entry);
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");
