// Drives Debian's chromium (headless, through playwright-core: no browser
// download) against a running pos-central: logs in, opens the pages at a
// phone's and a desk's size, and prints what it saw as one JSON object for
// test_office_browser.py to check. Nothing is decided here.
//
// Usage: node office_browser.mjs BASE_URL USER PASSWORD LIMITED_USER
//            OUT_DIR PATH...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [base, user, password, limitedUser, outDir, ...paths] =
  process.argv.slice(2);
const SIZES = [[360, 640], [1280, 800]];

function fileName(p, w, h) {
  return p.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") +
    `-${w}x${h}.png`;
}

async function login(page, name, pw) {
  await page.goto(base + "/login");
  await page.fill("#user", name);
  await page.fill("#password", pw);
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.click("form[action='/login'] button[type=submit]"),
  ]);
  return { status: resp ? resp.status() : 0, url: page.url() };
}

// What a page shows: its direction, overflow, amounts by key, the text of
// the producers' names, any element a name could have become, and axe.
async function inspect(page) {
  return await page.evaluate(async () => {
    const amounts = [];
    for (const el of document.querySelectorAll("[data-k]")) {
      const tr = el.closest("tr");
      amounts.push({
        key: el.getAttribute("data-k"),
        text: el.textContent,
        branch: tr && tr.getAttribute("data-branch"),
        terminal: tr && tr.getAttribute("data-terminal"),
        code: tr && tr.getAttribute("data-code"),
        window: tr && tr.getAttribute("data-window"),
        bdi: el.tagName === "BDI",
        align: getComputedStyle(el.closest("td")).textAlign,
        // Read as written, left to right on the screen: the first
        // character (a minus sign) drawn left of the last digit.
        inOrder: (() => {
          const t = el.firstChild;
          if (!t || t.nodeType !== 3 || t.length < 2) return true;
          const a = document.createRange(), b = document.createRange();
          a.setStart(t, 0); a.setEnd(t, 1);
          b.setStart(t, t.length - 1); b.setEnd(t, t.length);
          return a.getBoundingClientRect().left <
            b.getBoundingClientRect().left;
        })(),
      });
    }
    // Every minus sign before a figure drawn left of it (a detail is
    // text such as "2026-03-01: -1,850", never "1,850- :2026-03-01").
    const minusBad = [];
    for (const el of document.querySelectorAll("bdi.detail")) {
      const t = el.firstChild;
      if (!t || t.nodeType !== 3) continue;
      for (let i = 0; i + 1 < t.length; i++) {
        if (t.data[i] !== "-" || !/[0-9]/.test(t.data[i + 1])) continue;
        const a = document.createRange(), b = document.createRange();
        a.setStart(t, i); a.setEnd(t, i + 1);
        b.setStart(t, i + 1); b.setEnd(t, i + 2);
        if (a.getBoundingClientRect().left >= b.getBoundingClientRect().left)
          minusBad.push(t.data);
      }
    }
    return {
      minusBad,
      dir: document.dir,
      lang: document.documentElement.lang,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      names: [...document.querySelectorAll("bdi.name")].map(e => e.textContent),
      injected: document.querySelectorAll("main img, main script").length,
      scripts: document.scripts.length,
      amounts,
      font: getComputedStyle(document.body).fontFamily,
    };
  });
}

async function axe(page) {
  // Evaluated by the browser's debugger, not as a page script: the
  // pages' Content-Security-Policy allows no script at all.
  await page.evaluate(axeSource + "\n;0");
  return await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      resultTypes: ["violations"],
    });
    return r.violations.map(v => ({
      id: v.id, impact: v.impact, nodes: v.nodes.length,
      help: v.help,
    }));
  });
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const out = { pages: {}, dialogs: [], console: [], requests: [] };
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  page.on("dialog", async d => { out.dialogs.push(d.message()); await d.dismiss(); });
  page.on("console", m => out.console.push(m.type() + ": " + m.text()));
  page.on("request", r => out.requests.push(r.url()));

  out.login = await login(page, user, password);
  for (const p of paths) {
    const entry = {};
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      const resp = await page.goto(base + p);
      await page.evaluate(() => document.fonts.ready);
      const shot = path.join(outDir, fileName(p, w, h));
      await page.screenshot({ path: shot, fullPage: true });
      entry[`${w}x${h}`] = { status: resp.status(), shot, ...(await inspect(page)) };
    }
    entry.axe = await axe(page);
    await page.setViewportSize({ width: 360, height: 640 });
    await page.goto(base + p);
    entry.axe360 = await axe(page);
    out.pages[p] = entry;
  }

  // The English switch.
  await page.goto(base + paths[0]);
  await page.click("a[lang=en]");
  out.english = await inspect(page);

  // A POST without the CSRF token: the logout form with its token taken
  // out (the pages' policy allows no fetch from a page script).
  await page.evaluate(() =>
    document.querySelector("form[action='/logout'] input[name=csrf]")
      .remove());
  {
    const [resp] = await Promise.all([page.waitForNavigation(),
      page.click("form[action='/logout'] button")]);
    out.csrf = resp.status();
  }
  // Logging out through the form.
  await page.goto(base + paths[0]);
  await Promise.all([page.waitForNavigation(),
    page.click("form[action='/logout'] button")]);
  out.afterLogout = page.url();

  // The login limit, on a user of its own.
  out.limit = [];
  for (let i = 0; i < 5; i++)
    out.limit.push((await login(page, limitedUser, "wrong password")).status);
  out.limit.push((await login(page, limitedUser, password)).status);
  out.limitText = await page.textContent("main");
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");
