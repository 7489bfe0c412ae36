// web.test.mjs: end-to-end tests of dyad serve's page in Debian's Chromium
// (playwright-core from web/node_modules). Usage: node web.test.mjs URL ARTIFACT_DIR
// Prints `ok web/NAME` / `not ok web/NAME` and keeps a screenshot per step.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [BASE, ARTIFACTS] = process.argv.slice(2);
if (!BASE || !ARTIFACTS) {
  console.error('usage: node tests/e2e/web.test.mjs URL ARTIFACT_DIR');
  process.exit(2);
}
let chromium;
try {
  ({ chromium } = createRequire(path.join(ROOT, 'web/package.json'))('playwright-core'));
} catch (e) {
  console.log(`not ok web: playwright-core is missing from web/node_modules (${e.code || e.message}): run make deps`);
  process.exit(1);
}
fs.mkdirSync(ARTIFACTS, { recursive: true });
const origin = new URL(BASE).origin;

// The article pasted into the page: made up; a dateline, non-ASCII letters
// before the actors (the spans are in bytes), a known actor meeting another.
const ARTICLE = 'GENÈVE, Sept 3 — At the Palais des Nations in Genève, Russian Foreign Minister ' +
  'Sergei Lavrov met Chinese Foreign Minister Wang Yi on Friday, the ministry said.\n\n' +
  'The two ministers discussed the situation in Afghanistan.';
const ARTICLE_DATE = '2021-09-03';
const BAD_DATE = '2021-13-45';

// ------------------------------------------------------------ helpers
let failed = 0;
const problems = []; // console errors, page errors, outside requests
const expectedErrors = []; // predicates for console errors a step provokes on purpose

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function eq(got, want, what) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) throw new Error(`${what}: got ${g.slice(0, 300)}, want ${w.slice(0, 300)}`);
}
// Event ids are 64-bit: kept as strings, as the page does.
function parseJson(text) {
  return JSON.parse(text.replace(/([{,]\s*"id"\s*:\s*)(-?\d+)/g, '$1"$2"'));
}
async function api(p, init) {
  const res = await fetch(origin + p, init);
  return { status: res.status, body: parseJson(await res.text()) };
}
// A byte span of a string, as text.
function spanText(text, span) {
  if (!span) return null;
  const b = Buffer.from(text, 'utf8');
  return b.subarray(span[0], span[0] + span[1]).toString('utf8');
}
// RFC 4180 CSV into rows of fields.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const browser = await chromium.launch({
  executablePath: process.env.DYAD_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
context.setDefaultTimeout(15000);

function watch(page) {
  page.on('request', (r) => {
    const u = new URL(r.url());
    // data: and blob: URLs never leave the browser; everything else must go to the server.
    if (u.protocol === 'data:' || u.protocol === 'blob:') return;
    if (u.origin !== origin) problems.push(`request to another host: ${r.method()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const loc = m.location()?.url || '';
    if (expectedErrors.some((f) => f(m.text(), loc))) return;
    problems.push(`console error: ${m.text()}${loc ? ` (${loc})` : ''}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}

const page = await context.newPage();
watch(page);

const loads = () => page.evaluate(() => Number(document.body.dataset.loads || 0));
// Runs an action and waits until the page has finished the load it starts.
async function andLoad(action) {
  const before = await loads();
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.loads || 0) > n, before);
}
// Opens a URL (a new document: its load counter starts again) and waits for its first load.
async function visit(url) {
  await page.goto(url);
  await page.waitForFunction(() => Number(document.body.dataset.loads || 0) > 0);
}
const rowIds = () => page.$$eval('#events tbody tr', (trs) => trs.map((tr) => tr.dataset.id));

let n = 0;
async function step(name, fn, opts = {}) {
  n++;
  const shot = path.join(ARTIFACTS, `${String(n).padStart(2, '0')}-${name}.png`);
  try {
    await fn();
    console.log(`ok web/${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok web/${name}`);
    for (const line of String(e.stack || e).split('\n').slice(0, 6)) console.log(`#   ${line}`);
  }
  try {
    await page.screenshot({ path: shot, fullPage: !opts.viewport });
  } catch (e) {
    console.log(`#   screenshot ${shot} failed: ${e.message}`);
  }
}

// ------------------------------------------------------------- steps
const health = (await api('/api/health')).body;

await step('load', async () => {
  await visit(BASE);
  const all = (await api('/api/events?limit=50&offset=0')).body;
  assert(all.total > 0, 'the store has no events');
  eq(await rowIds(), all.events.map((e) => e.id), 'table rows (ids)');
  const range = await page.textContent('#range');
  eq(range, `1–${all.events.length} of ${all.total}`, 'range line');
  const head = await page.textContent('#health');
  assert(head.includes(`${health.events} events`), `header says "${head}"`);
  // The graph: one node per country, one edge per dyad, drawn on its canvas.
  const dy = (await api('/api/dyads?limit=100')).body.dyads;
  const countries = new Set(dy.flatMap((d) => [d.source, d.target]));
  const g = await page.evaluate(() => ({ nodes: window.dyad.cy.nodes().length, edges: window.dyad.cy.edges().length }));
  eq(g, { nodes: countries.size, edges: dy.length }, 'cytoscape nodes and edges');
  assert(g.edges > 0, 'no edges');
  const painted = await page.evaluate(() => {
    let px = 0;
    for (const c of document.querySelectorAll('#graph canvas')) {
      if (!c.width || !c.height) continue;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) px++;
    }
    return px;
  });
  assert(painted > 1000, `the graph canvas has ${painted} painted pixels`);
  // The timeline: one bar per day and series, both colours on the canvas.
  const days = (await api('/api/timeline')).body.days;
  const tl = await page.evaluate(() => {
    const o = window.dyad.chart.getOption();
    const c = document.querySelector('#timeline canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let blue = 0;
    let red = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - 0x2f) < 12 && Math.abs(d[i + 1] - 0x6d) < 12 && Math.abs(d[i + 2] - 0xb5) < 12) blue++;
      if (Math.abs(d[i] - 0xc0) < 12 && Math.abs(d[i + 1] - 0x39) < 12 && Math.abs(d[i + 2] - 0x2b) < 12) red++;
    }
    return { coop: o.series[0].data, conf: o.series[1].data, blue, red };
  });
  eq(tl.coop, days.map((d) => [d.date, d.quad['1'] + d.quad['2']]), 'timeline cooperation series');
  eq(tl.conf, days.map((d) => [d.date, -(d.quad['3'] + d.quad['4'])]), 'timeline conflict series');
  assert(tl.blue > 200, `cooperation bars: ${tl.blue} blue pixels`);
  if (days.some((d) => d.quad['3'] + d.quad['4'] > 0)) assert(tl.red > 50, `conflict bars: ${tl.red} red pixels`);
});

// Every event of a page filtered by dyad A:B is A acting on B, or B on A when reciprocal.
async function checkDyad(a, b) {
  const want = (await api(`/api/events?dyad=${a}:${b}&limit=50&offset=0`)).body;
  assert(want.total > 0, `no ${a}:${b} events in the store`);
  // (an actor without a country counts under its code, as in /api/dyads)
  const src = (e) => e.source_country || e.source;
  const tgt = (e) => e.target_country || e.target;
  for (const e of want.events) {
    const ok = (src(e) === a && tgt(e) === b) || (e.reciprocal && src(e) === b && tgt(e) === a);
    assert(ok, `event ${e.id} (${e.source} -> ${e.target}) is not in dyad ${a}:${b}`);
  }
  eq(await rowIds(), want.events.map((e) => e.id), `rows under dyad ${a}:${b}`);
  const shown = await page.$$eval('#events tbody tr', (trs) => trs.map((tr) =>
    [...tr.querySelectorAll('.actor .code')].map((c) => c.textContent)));
  eq(shown, want.events.map((e) => [e.source, e.target]), 'source and target shown');
  eq(new URL(page.url()).searchParams.get('dyad'), `${a}:${b}`, 'the dyad in the URL');
  eq(await page.textContent('#range'), `1–${want.events.length} of ${want.total}`, 'range line');
}

await step('dyad-filter', async () => {
  await page.fill('#f-dyad', 'CHN:RUS');
  await andLoad(() => page.click('#apply'));
  await checkDyad('CHN', 'RUS');
  // The URL is a shareable link: a fresh page opened on it shows the same.
  const url = page.url();
  const other = await context.newPage();
  watch(other);
  await other.goto(url);
  await other.waitForFunction(() => Number(document.body.dataset.loads || 0) > 0);
  eq(await other.inputValue('#f-dyad'), 'CHN:RUS', 'dyad field of a page opened on the link');
  eq(await other.$$eval('#events tbody tr', (trs) => trs.map((tr) => tr.dataset.id)), await rowIds(), 'rows on the link');
  await other.close();
});

await step('graph-edge-click', async () => {
  // Back goes to the unfiltered page.
  await andLoad(() => page.goBack());
  eq(await page.inputValue('#f-dyad'), '', 'dyad field after Back');
  await andLoad(() => page.click('#reset'));
  eq(new URL(page.url()).search, '', 'query after Reset');
  // Click the middle of the edge farthest from any node.
  const target = await page.evaluate(() => {
    const cy = window.dyad.cy;
    let best = null;
    cy.edges().forEach((e) => {
      // (the store's filters take no unknown-country codes such as ---GOV)
      if (e.isLoop() || e.source().id().startsWith('-') || e.target().id().startsWith('-')) return;
      const m = e.renderedMidpoint();
      let clear = Infinity;
      cy.nodes().forEach((nd) => {
        const p = nd.renderedPosition();
        clear = Math.min(clear, Math.hypot(p.x - m.x, p.y - m.y) - nd.renderedWidth() / 2);
      });
      if (!best || clear > best.clear) best = { id: e.id(), x: m.x, y: m.y, clear };
    });
    window.__tapped = null;
    cy.one('tap', 'edge', (ev) => { window.__tapped = ev.target.data(); });
    return best;
  });
  assert(target, 'no edge to click');
  const box = await page.locator('#graph').boundingBox();
  await andLoad(() => page.mouse.click(box.x + target.x, box.y + target.y));
  const tapped = await page.evaluate(() => window.__tapped);
  assert(tapped, `the click at the middle of edge ${target.id} hit no edge`);
  eq(await page.inputValue('#f-dyad'), `${tapped.source}:${tapped.target}`, 'dyad field after the click');
  await checkDyad(tapped.source, tapped.target);
  const current = await page.evaluate(() => window.dyad.cy.edges('.current').map((e) => e.id()));
  eq(current, [`${tapped.source}>${tapped.target}`], 'the edge marked as the filter');
});

// Opens the event of a row and checks each mention's highlighted words.
async function checkMentions(id, keyboard) {
  const button = `#events tr[data-id="${id}"] button.open-ev`;
  if (keyboard) {
    await page.focus(button);
    await page.keyboard.press('Enter');
  } else {
    await page.click(button);
  }
  await page.waitForSelector('#event-dialog[open] .mention');
  const want = (await api(`/api/events/${id}`)).body;
  eq(await page.textContent('#dlg-body .summary dd.mono'), id, 'event id in the dialog');
  const got = await page.$$eval('#dlg-body .mention .text', (ps) => ps.map((p) => {
    const text = (cls) => {
      const ms = p.querySelectorAll(`mark.${cls}`);
      return ms.length ? [...ms].map((m) => m.textContent).join('') : null;
    };
    return { all: p.textContent, src: text('src'), tgt: text('tgt'), verb: text('verb') };
  }));
  eq(got.length, want.mentions.length, 'number of mentions');
  want.mentions.forEach((m, i) => {
    eq(got[i].all, m.text, `mention ${i} sentence`);
    eq(got[i].src, spanText(m.text, m.source_span), `mention ${i} source words`);
    eq(got[i].tgt, spanText(m.text, m.target_span), `mention ${i} target words`);
    eq(got[i].verb, spanText(m.text, m.verb_span), `mention ${i} verb`);
    if (m.source_span) eq(got[i].src, m.source_name, `mention ${i} source words against source_name`);
    if (m.target_span) eq(got[i].tgt, m.target_name, `mention ${i} target words against target_name`);
  });
  assert(got.some((g) => g.src && g.tgt), 'no mention with both actors highlighted');
  const meta = await page.textContent('#dlg-body .mention .meta');
  assert(meta.includes(want.mentions[0].doc) && meta.includes('publisher') && meta.includes(want.mentions[0].pattern),
    `mention details: ${meta}`);
  return want;
}

await step('mention', async () => {
  await visit(`${BASE}?dyad=CHN:RUS`);
  const ids = await rowIds();
  assert(ids.length > 0, 'no rows');
  await checkMentions(ids[0], true); // opened from the keyboard
  await page.keyboard.press('Escape');
  await page.waitForSelector('#event-dialog:not([open])', { state: 'attached' });
  assert(await page.evaluate((id) => document.activeElement?.closest('tr')?.dataset.id === id, ids[0]),
    'the focus did not go back to the row after closing the event');
  // A sentence with letters beyond ASCII before an actor: byte spans, not characters.
  const all = (await api('/api/events?limit=1000')).body.events;
  const wide = all.find((e) => e.target_span && /[^\x00-\x7f]/.test(
    Buffer.from(e.text).subarray(0, e.target_span[0]).toString()));
  if (wide) {
    await visit(`${BASE}?doc=${encodeURIComponent(wide.doc)}&limit=250`);
    await checkMentions(wide.id);
  } else {
    console.log('# no stored sentence has non-ASCII text before an actor (the paste step checks that)');
  }
}, { viewport: true });

await step('paste-article', async () => {
  await page.keyboard.press('Escape');
  await visit(BASE);
  await page.fill('#code-text', ARTICLE);
  await page.fill('#code-date', ARTICLE_DATE);
  await page.click('#code-submit');
  await page.waitForSelector('#code-result .coded li, #code-result .error');
  const want = (await api('/api/code', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: ARTICLE, date: ARTICLE_DATE }) })).body;
  assert(want.events.some((e) => e.source_country === 'RUS' && e.target_country === 'CHN'),
    'the server codes no RUS -> CHN event in the article');
  const got = await page.$$eval('#code-result .coded li', (lis) => lis.map((li) => {
    const t = li.querySelector('.text');
    const text = (cls) => [...t.querySelectorAll(`mark.${cls}`)].map((m) => m.textContent).join('') || null;
    return { head: li.querySelector('.head').textContent, all: t.textContent, src: text('src'), tgt: text('tgt') };
  }));
  eq(got.length, want.events.length, 'events shown');
  want.events.forEach((e, i) => {
    eq(got[i].all, e.text, `event ${i} sentence`);
    eq(got[i].src, e.source_name, `event ${i} source words`);
    eq(got[i].tgt, e.target_name, `event ${i} target words`);
    assert(got[i].head.includes(e.source) && got[i].head.includes(e.target) && got[i].head.includes(e.code),
      `event ${i} head "${got[i].head}"`);
  });
  const lavrov = got.find((g) => g.src === 'Russian Foreign Minister Sergei Lavrov');
  assert(lavrov && lavrov.tgt === 'Chinese Foreign Minister Wang Yi', 'Lavrov meeting Wang Yi is not highlighted');
  const line = await page.textContent('#code-result .summary-line');
  assert(line.includes(ARTICLE_DATE), `summary line "${line}"`);
  // Nothing was stored.
  eq((await api('/api/health')).body.events, health.events, 'events in the store after coding');
  await page.locator('#code-title').evaluate((h) => h.scrollIntoView());
}, { viewport: true });

await step('csv-download', async () => {
  await visit(BASE);
  await andLoad(() => page.selectOption('#limit', '25'));
  await andLoad(() => page.click('#next'));
  const total = (await api('/api/health')).body.events;
  const ids = await rowIds();
  eq(await page.textContent('#range'), `26–${25 + ids.length} of ${total}`, 'range on page 2');
  eq(new URL(page.url()).searchParams.get('offset'), '25', 'offset in the URL');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
  const file = await dl.path();
  const rows = parseCsv(fs.readFileSync(file, 'utf8'));
  const head = rows.shift();
  const col = head.indexOf('id');
  assert(col >= 0, `no id column in ${head.join(',')}`);
  eq(rows.map((r) => r[col]), ids, 'CSV ids against the rows shown');
  eq(dl.suggestedFilename(), 'dyad-events.csv', 'download file name');
  fs.copyFileSync(file, path.join(ARTIFACTS, 'download.csv'));
});

await step('bad-filter', async () => {
  await visit(BASE);
  const want = await api(`/api/events?since=${BAD_DATE}`);
  eq(want.status, 400, 'status of a bad date');
  // The browser logs each failed request; these three are the point of the step.
  expectedErrors.push((text, url) => /status of 400/.test(text) && url.includes(`since=${BAD_DATE}`));
  await page.fill('#f-since', BAD_DATE);
  await andLoad(() => page.click('#apply'));
  const box = page.locator('#error');
  assert(await box.isVisible(), 'no error shown');
  const text = await box.textContent();
  assert(text.includes(want.body.error), `error box says "${text}", the API "${want.body.error}"`);
  eq(await page.getAttribute('#f-since', 'aria-invalid'), 'true', 'the since field marked invalid');
  eq(await rowIds(), [], 'rows after the error');
});

// ------------------------------------------------------------- the whole run
if (problems.length === 0) console.log('ok web/no-outside-requests-or-console-errors');
else {
  failed++;
  console.log('not ok web/no-outside-requests-or-console-errors');
  for (const p of problems.slice(0, 20)) console.log(`#   ${p}`);
}
await browser.close();
process.exit(failed ? 1 : 0);
