// The dashboard end to end, as an analyst would use it: start `sanctions-monitor demo`, open the page in headless
// Chromium, see alerts arrive, open one and read its reasons, see a chart with data points, screen a name and see
// the top match that the CLI's `screen` gives for the same name. Screenshots go to --artifacts.
//
//   node tests/browser/dashboard_test.mjs --binary build/daemon/app/sanctions-monitor \
//        [--chromium /usr/bin/chromium] [--artifacts test-artifacts/dashboard]
//
// Waits are for things to happen (with generous limits against hangs), never assertions about speed.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = process.env.SM_REPO_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
  if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
  return pairs;
}, []));
const binary = args.binary || path.join(repo, 'build/daemon/app/sanctions-monitor');
const chromiumPath = args.chromium || '/usr/bin/chromium';
const artifacts = args.artifacts || path.join(repo, 'test-artifacts/dashboard');
const PATIENCE = 120_000;  // against hangs only
const SCREEN_NAME = 'Aktsionernoe Obshchestvo Pasit';

// playwright-core is installed with the page's other npm packages, in web/node_modules.
const { chromium } = createRequire(path.join(repo, 'web/package.json'))('playwright-core');

function step(text) { console.log(`dashboard_browser: ${text}`); }

// Starts the demo (runs until stopped) and resolves with its HTTP port, read from the line it prints.
function startDemo() {
  const demo = spawn(binary, ['demo', '--events', '0', '--rate', '100', '--quiet'],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo printed no HTTP port:\n${output}`)), PATIENCE);
    demo.stdout.on('data', (chunk) => {
      output += chunk;
      const m = /HTTP: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    demo.stderr.on('data', (chunk) => { output += chunk; });
    demo.on('exit', (code) => { clearTimeout(timer); reject(new Error(`demo exited (${code}) early:\n${output}`)); });
  });
  return { demo, port, log: () => output };
}

async function stopDemo(demo) {
  if (demo.exitCode !== null || demo.signalCode !== null) return demo.exitCode ?? demo.signalCode;
  const exited = new Promise((resolve) => demo.on('exit', (code, signal) => resolve(code ?? signal)));
  demo.kill('SIGTERM');
  return exited;
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const { demo, port: portPromise, log } = startDemo();
  let browser;
  try {
    const port = await portPromise;
    const base = `http://127.0.0.1:${port}`;
    step(`demo serving on ${base}`);

    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1500, height: 1250 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    await page.goto(base + '/');
    assert.equal(await page.title(), 'sanctions-monitor');

    // Alerts arrive, live: the table grows while we watch.
    const rows = page.locator('[data-testid=alert-row]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=alert-row]').length >= 3, null, { timeout: PATIENCE });
    const firstCount = await rows.count();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=alert-row]').length > n, firstCount, { timeout: PATIENCE });
    step(`alerts arriving: ${firstCount} -> ${await rows.count()}`);
    await page.locator('#connection').filter({ hasText: 'live' }).waitFor({ timeout: PATIENCE });

    // Every alert on the page was committed: each one is in /v1/alerts (read from the committed feed).
    const committed = await (await fetch(`${base}/v1/alerts?limit=500`)).json();
    const committedIds = new Set(committed.alerts.map((a) => a.alertId));
    const shownIds = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.alertId));
    const stillInRing = shownIds.filter((id) => committedIds.has(id));
    assert.ok(stillInRing.length > 0, 'the alerts shown are those the daemon committed');

    // A CRITICAL alert is impossible to miss: a banner, and a marked row.
    await page.locator('[data-testid=alert-row][data-tier=CRITICAL]').first().waitFor({ timeout: PATIENCE });
    await page.locator('[data-testid=critical-banner]').waitFor({ state: 'visible', timeout: PATIENCE });
    assert.match(await page.locator('#critical-text').innerText(), /critical alert/);

    // Open an alert: its reasons, with points, as the topic carries them.
    // Freeze the list to read it, as an analyst would while alerts keep arriving.
    await page.locator('[data-testid=alerts-pause]').click();
    const alertId = await page.locator('[data-testid=alert-row][data-tier=CRITICAL]').first().getAttribute('data-alert-id');
    await page.locator(`[data-testid=alert-row][data-alert-id="${alertId}"]`).click();
    const reasons = page.locator('[data-testid=alert-detail] [data-testid=reason]');
    await reasons.first().waitFor({ timeout: PATIENCE });
    const alert = committed.alerts.find((a) => a.alertId === alertId)
      || (await (await fetch(`${base}/v1/alerts?limit=500`)).json()).alerts.find((a) => a.alertId === alertId);
    assert.ok(alert, `alert ${alertId} is in /v1/alerts`);
    const shownRules = await reasons.evaluateAll((trs) => trs.map((tr) => tr.dataset.rule));
    assert.deepEqual(shownRules, alert.reasons.map((r) => r.ruleId));
    const firstReason = await reasons.first().innerText();
    assert.ok(firstReason.includes(`+${alert.reasons[0].points}`), `points shown: ${firstReason}`);
    assert.ok(firstReason.includes(alert.reasons[0].detail), 'the evidence sentence is shown');
    const detail = await page.locator('[data-testid=alert-detail]').innerText();
    assert.ok(detail.includes(alert.listVersion) && detail.includes(alert.rulesVersion), 'list and rules versions shown');
    if ((alert.matches || []).length > 0) {
      assert.ok(detail.includes(alert.matches[0].entryName), 'the matched list entry is shown');
    }
    step(`alert ${alertId}: reasons ${shownRules.join(', ')}`);
    await page.locator('[data-testid=alerts-pause]').click();  // live again
    await page.screenshot({ path: path.join(artifacts, 'alert-detail.png'), fullPage: true });

    // Charts: the currency-share chart has data points for windows that /v1/aggregates holds.
    const windowSize = await page.locator('[data-testid=window-size]').inputValue({ timeout: PATIENCE }).catch(() => '');
    await page.waitForFunction(() => {
      const c = window.Chart && window.Chart.getChart(document.getElementById('chart-shares'));
      return c && c.data.datasets.length > 0 && c.data.datasets[0].data.some((v) => v !== null);
    }, null, { timeout: PATIENCE });
    const chart = await page.evaluate(() => {
      const c = window.Chart.getChart(document.getElementById('chart-shares'));
      const tiers = window.Chart.getChart(document.getElementById('chart-tiers'));
      return { points: c.data.datasets[0].data.filter((v) => v !== null), labels: c.data.labels,
        size: document.getElementById('window-size').value,
        tierTotal: tiers.data.datasets.reduce((t, d) => t + d.data.reduce((s, v) => s + v, 0), 0) };
    });
    assert.ok(chart.points.every((v) => v >= 0 && v <= 100), 'shares are percentages');
    assert.ok(chart.tierTotal > 0, 'the tier chart counts assessed events');
    const aggregates = await (await fetch(`${base}/v1/aggregates?window=${encodeURIComponent(chart.size)}`)).json();
    assert.ok(aggregates.aggregates.length > 0 && aggregates.aggregates.every((a) => a.windowSize === chart.size));
    step(`chart: ${chart.points.length} share points over ${chart.labels.length} ${chart.size || windowSize} windows`);

    // Service state from /metrics and /v1/lists.
    await page.waitForFunction(() => /\d/.test(document.getElementById('svc-consumed').textContent)
      && /lists/.test(document.getElementById('svc-lists').textContent), null, { timeout: PATIENCE });

    // Ad-hoc screening: the page shows the ranking the CLI gives for the same name.
    const cli = JSON.parse(execFileSync(binary, ['screen', SCREEN_NAME], { cwd: repo, encoding: 'utf8' }).trim().split('\n')[0]);
    assert.ok(cli.matches.length > 0, `the CLI finds a match for ${SCREEN_NAME}`);
    await page.fill('#screen-name', SCREEN_NAME);
    await page.click('#screen-form button[type=submit]');
    const top = page.locator('[data-testid=screen-match]').first();
    await top.waitFor({ timeout: PATIENCE });
    assert.equal(await top.locator('.entry-name').innerText(), cli.matches[0].entryName);
    assert.equal(await page.locator('[data-testid=screen-match]').count(), cli.matches.length);
    step(`screening "${SCREEN_NAME}": top match ${cli.matches[0].entryName} (${cli.matches[0].listId})`);

    // Dismissing hides the banner. Checked within one page task: the demo keeps streaming, and a CRITICAL alert
    // that arrives after the click rightly brings the banner back.
    const hiddenAfterDismiss = await page.evaluate(() => {
      document.getElementById('critical-dismiss').click();
      return document.getElementById('critical-banner').hidden;
    });
    assert.ok(hiddenAfterDismiss, 'dismissing hides the CRITICAL banner');
    await page.screenshot({ path: path.join(artifacts, 'dashboard.png'), fullPage: true });

    assert.deepEqual(problems, [], 'no script errors on the page');
  } catch (e) {
    console.error(`dashboard_browser: demo output:\n${log().slice(-4000)}`);
    throw e;
  } finally {
    if (browser) await browser.close();
    const code = await stopDemo(demo);
    step(`demo stopped (exit ${code})`);
  }
  const again = await stopDemo(demo);
  assert.equal(again, 0, 'the demo stops cleanly on SIGTERM');
  step('passed');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
