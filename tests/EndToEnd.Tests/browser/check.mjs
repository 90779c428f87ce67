// Drives Debian's Chromium through Festa's front page as a person would:
// sign up, log in, add two events to the wishlist, see them, count, take a screenshot, log out.
//
//   node check.mjs <festa base url> <screenshot.png>
//
// CHROMIUM_PATH overrides /usr/bin/chromium. Exits non-zero, with the reason on stderr, on any failure.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node check.mjs <festa base url> <screenshot.png>');
  process.exit(2);
}

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'festa-chromium-'));
const username = 'web_' + Math.random().toString(36).slice(2, 12);
const password = 'browser-check-2026';
const problems = [];
const steps = [];

// Bounded: the whole check must finish well inside the test's own timeout.
const watchdog = setTimeout(() => {
  console.error('browser check timed out after 60 s; steps done: ' + steps.join(', '));
  process.exit(3);
}, 60_000);

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1200, height: 1000 },
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Failed loads are judged by the response handler below, which knows the URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    // 401 is the contract's answer to "who am I" and friends before logging in; anything else >= 400 is a fault.
    if (response.status() >= 400 && response.status() !== 401) {
      problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
    }
  });

  const step = async (name, action) => {
    await action();
    steps.push(name);
  };

  await step('open', async () => {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#events tbody tr[data-event-id="240"]');
  });

  await step('sign up', async () => {
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('#signup');
    await page.waitForFunction(() => document.querySelector('#message')?.textContent?.startsWith('Welcome'));
  });

  await step('log in', async () => {
    await page.fill('#password', password);
    await page.click('#login');
    await page.waitForFunction((name) => document.querySelector('#whoami')?.textContent?.includes(`Signed in as ${name}`), username);
  });

  await step('add to wishlist', async () => {
    await page.click('#events tr[data-event-id="3"] button.wish');
    await page.waitForSelector('#wishlist li[data-event-id="3"]');
    await page.click('#events tr[data-event-id="8"] button.wish');
    await page.waitForSelector('#wishlist li[data-event-id="8"]');
    const items = await page.locator('#wishlist li[data-event-id]').count();
    if (items !== 2) throw new Error(`wishlist shows ${items} items, expected 2`);
  });

  await step('count', async () => {
    await page.click('#counter');
    await page.waitForFunction(() => document.querySelector('#counter-value')?.textContent === '1');
    await page.click('#counter');
    await page.waitForFunction(() => document.querySelector('#counter-value')?.textContent === '2');
  });

  await step('sessions', async () => {
    await page.waitForSelector('#sessions tbody tr.current');
  });

  const node = (await page.textContent('#node'))?.trim();
  if (!node || node === '…') throw new Error('the page never showed which node served it');

  await step('screenshot', async () => {
    await page.screenshot({ path: screenshot, fullPage: true });
  });

  await step('log out', async () => {
    await page.click('#logout');
    await page.waitForFunction(() => document.querySelector('#whoami')?.textContent === 'Not signed in.');
    await page.waitForSelector('#wishlist li.empty');
  });

  if (problems.length > 0) {
    throw new Error(problems.join('\n'));
  }

  console.log(JSON.stringify({ ok: true, username, node, steps, screenshot }));
} catch (error) {
  console.error(`browser check failed after steps [${steps.join(', ')}]: ${error.message}`);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
