// A person's visit to the web page, in Debian's chromium driven headless by playwright-core:
// search, open an artwork, follow a similar artwork, open its artist, upload an image and
// read its prediction. Saves a screenshot of each step; prints what it saw as one JSON line.
//   node journey.cjs BASE_URL SCREENSHOT_DIR IMAGE_FILE SEARCH_WORDS
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const [base, shots, image, words] = process.argv.slice(2);
const STEP_TIMEOUT_MS = 30000;

async function main() {
  fs.mkdirSync(shots, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "graphkit-chromium-"));
  // A persistent context is how playwright takes --user-data-dir: a fresh profile each run.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const seen = { console_errors: [] };
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on("pageerror", (error) => seen.console_errors.push(String(error)));
    const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
    // Thumbnails are made at their first request: wait until those in view have arrived.
    const imagesIn = async (selector) => {
      await page.waitForFunction((css) => {
        const shown = [...document.querySelectorAll(css)].filter((img) => img.getBoundingClientRect().top < innerHeight);
        return shown.length > 0 && shown.every((img) => img.complete && img.naturalWidth > 0);
      }, selector);
      return page.locator(selector).evaluateAll((all) => all.filter((img) => img.naturalWidth > 0).length);
    };

    await page.goto(`${base}/#/`);
    await page.waitForSelector("[data-testid=card]");
    seen.browse_cards = await page.locator("[data-testid=card]").count();

    await page.fill("input[name=q]", words);
    await page.click("form[data-testid=search-form] button[type=submit]");
    await page.waitForFunction(() => location.hash.includes("q="));
    await page.waitForSelector("[data-testid=card]");
    seen.search_cards = await page.locator("[data-testid=card]").count();
    seen.search_first = await page.locator("[data-testid=card] .title").first().innerText();
    seen.search_thumbnails = await imagesIn("[data-testid=card] img");
    await shot("1-search");

    await page.locator("[data-testid=card]").first().click();
    await page.waitForSelector("[data-testid=artwork-title]");
    await page.waitForSelector("[data-testid=similar] [data-testid=card]");
    await page.waitForSelector("[data-testid=neighbourhood] svg");
    seen.artwork_title = await page.innerText("[data-testid=artwork-title]");
    seen.artwork_url = page.url();
    seen.similar_cards = await page.locator("[data-testid=similar] [data-testid=card]").count();
    seen.graph_nodes = await page.locator("[data-testid=neighbourhood] circle").count();
    await imagesIn("[data-testid=artwork-image]");
    seen.similar_thumbnails = await imagesIn("[data-testid=similar] img");
    await shot("2-artwork");

    const next = page.locator("[data-testid=similar] [data-testid=card]").first();
    seen.similar_title = await next.locator(".title").innerText();
    await next.click();
    await page.waitForFunction((before) => location.href !== before, seen.artwork_url);
    await page.waitForSelector("[data-testid=artwork-title]");
    seen.followed_title = await page.innerText("[data-testid=artwork-title]");
    await page.waitForSelector("[data-testid=similar] [data-testid=card]");
    await imagesIn("[data-testid=artwork-image]");
    await shot("3-similar-artwork");

    const artistLink = page.locator(".facts a[href^='#/artist/']").first();
    if (await artistLink.count()) {
      await artistLink.click();
      await page.waitForSelector("[data-testid=artist-name]");
      seen.artist_name = await page.innerText("[data-testid=artist-name]");
      await shot("4-artist");
    }

    await page.goto(`${base}/#/predict`);
    await page.setInputFiles("[data-testid=file]", image);
    await page.waitForSelector("[data-testid=prediction]", { timeout: 120000 });
    await page.waitForFunction(() => document.querySelector("[data-testid=prediction-image]").complete);
    seen.verdict = await page.innerText("[data-testid=verdict]");
    seen.bars = await page.locator(".bar").count();
    await shot("5-prediction");
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(seen) + "\n");
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
