// A person's visit to the web page, in Debian's chromium driven headless by playwright-core:
// search, open an artwork, follow a similar artwork, open its artist, upload an image and
// read its prediction. Saves a screenshot of each step; prints what it saw as one JSON line.
//   node journey.cjs BASE_URL SCREENSHOT_DIR IMAGE_FILE SEARCH_WORDS
"use strict";

const { run } = require("./browser.cjs");

const [base, shots, image, words] = process.argv.slice(2);

run(shots, async (page, seen, shot) => {
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
});
