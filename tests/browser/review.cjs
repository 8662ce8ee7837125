// A curator's visit to the review queue, in Debian's chromium driven headless by
// playwright-core: sign in with the API token, review the first item of the queue (a note and
// a decision), see it leave the queue (at once, and after loading the queue again); then
// browse the works predicted made by a person, with their badges, and open one with its
// predictions. Saves a screenshot of each step; prints what it saw as one JSON line.
//   node review.cjs BASE_URL SCREENSHOT_DIR TOKEN
"use strict";

const { run } = require("./browser.cjs");

const [base, shots, token] = process.argv.slice(2);
const ITEM = "[data-testid=queue-item]";

run(shots, async (page, seen, shot) => {
  const sameItems = (node, task) => page.locator(`${ITEM}[data-node="${node}"][data-task="${task}"]`).count();

  await page.goto(`${base}/#/review`);
  await page.waitForSelector("[data-testid=signin]");
  seen.queue_before_sign_in = await page.locator(ITEM).count();
  await page.fill("input[name=token]", token);
  await page.fill("input[name=by]", "playwright");
  await shot("6-review-sign-in");
  await page.click("[data-testid=signin] button[type=submit]");
  await page.waitForSelector("[data-testid=signed-in]");
  await page.waitForSelector(ITEM);
  seen.queue = await page.locator(ITEM).count();
  const first = page.locator(ITEM).first();
  seen.node = await first.getAttribute("data-node");
  seen.task = await first.getAttribute("data-task");
  seen.title = await first.locator("[data-testid=queue-title]").innerText();
  seen.same_before = await sameItems(seen.node, seen.task);
  await first.locator("input[name=note]").fill("checked in the browser");
  await shot("7-review-queue");

  const decide = first.locator("[data-testid=decide]").first();
  seen.label = (await decide.getAttribute("data-label")) || (await first.locator("select[name=label]").inputValue());
  await decide.click();
  await page.waitForSelector("[data-testid=notice]");
  seen.notice = await page.innerText("[data-testid=notice]");
  seen.same_after = await sameItems(seen.node, seen.task);
  seen.queue_after = await page.locator(ITEM).count();
  await shot("8-reviewed");

  // The page loaded again: the queue drawn afresh from the server (the token stays in
  // sessionStorage). A hash-only hop away and back raced with the first view's late render.
  await page.reload();
  await page.waitForSelector(`${ITEM}, [data-testid=queue-empty]`);
  seen.same_after_reload = await sameItems(seen.node, seen.task);

  await page.goto(`${base}/#/?predicted=human&has_image=true`);
  await page.waitForSelector("[data-testid=card]");
  seen.predicted_select = await page.locator("[data-testid=predicted]").inputValue();
  seen.predicted_cards = await page.locator("[data-testid=card]").count();
  seen.ai_badges = await page.locator("[data-testid=card] [data-testid=badge-ai]").count();
  seen.movement_badges = await page.locator("[data-testid=card] [data-testid=badge-movement]").count();
  seen.first_badge = await page.locator("[data-testid=badge-ai]").first().innerText();
  await shot("9-predicted-human");

  await page.locator("[data-testid=card]").first().click();
  await page.waitForSelector("[data-testid=predictions]");
  seen.prediction_rows = await page.locator("[data-testid=predictions] tr").count() - 1;
  await shot("10-artwork-predictions");
});
