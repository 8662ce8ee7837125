// What every journey shares: Debian's chromium driven headless by playwright-core with a fresh
// profile, a page that collects uncaught errors, screenshots by name, and what was seen
// printed as one JSON line at the end (the test reads the last line).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const STEP_TIMEOUT_MS = 30000;

async function visit(shots, walk) {
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
    await walk(page, seen, shot);
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(seen) + "\n");
}

function run(shots, walk) {
  visit(shots, walk).catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
  });
}

module.exports = { run };
