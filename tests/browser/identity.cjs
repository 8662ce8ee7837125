// A curator's visit to the identity review, in Debian's chromium driven headless by
// playwright-core: sign in with the API token, see the pairs side by side with their works'
// thumbnails, decide "same person" on the first pair and "different people" on the next, see
// each leave (at once, and after loading the page again). Saves a screenshot of each step;
// prints what it saw as one JSON line.
//   node identity.cjs BASE_URL SCREENSHOT_DIR TOKEN
"use strict";

const { run } = require("./browser.cjs");

const [base, shots, token] = process.argv.slice(2);
const PAIR = "[data-testid=pair]";

run(shots, async (page, seen, shot) => {
  await page.goto(`${base}/#/identity`);
  await page.waitForSelector("[data-testid=signin]");
  seen.pairs_before_sign_in = await page.locator(PAIR).count();
  await page.fill("input[name=token]", token);
  await page.fill("input[name=by]", "playwright");
  await page.click("[data-testid=signin] button[type=submit]");
  await page.waitForSelector("[data-testid=signed-in]");
  await page.waitForSelector(PAIR);
  seen.pairs = await page.locator(PAIR).count();
  seen.people = await page.locator(`${PAIR} [data-testid=person]`).count();
  // Thumbnails that arrived as pictures, not broken images.
  await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=person-works] img")].every((i) => i.complete));
  seen.thumbnails = await page.locator("[data-testid=person-works] img").evaluateAll(
    (images) => images.filter((i) => i.naturalWidth > 0).length);
  await shot("11-identity-pairs");

  const decide = async (verdict, note) => {
    const first = page.locator(PAIR).first();
    const pair = { one: await first.getAttribute("data-one"), other: await first.getAttribute("data-other") };
    await first.locator("input[name=note]").fill(note);
    await first.locator(`[data-testid=${verdict}]`).click();
    await page.waitForSelector(`[data-testid=notice]:has-text("${verdict === "same" ? "Merged" : "apart"}")`);
    pair.notice = await page.innerText("[data-testid=notice]");
    pair.still_shown = await page.locator(`${PAIR}[data-one="${pair.one}"][data-other="${pair.other}"]`).count();
    return pair;
  };
  seen.same = await decide("same", "one painter, two spellings");
  seen.different = await decide("different", "checked in the browser");
  seen.pairs_after = await page.locator(PAIR).count();
  await shot("12-identity-decided");

  await page.reload();
  await page.waitForSelector(`${PAIR}, [data-testid=pairs-empty]`);
  seen.pairs_after_reload = await page.locator(PAIR).count();
});
