// The sanctions-monitor dashboard. Everything it shows comes from the daemon: committed alerts and aggregates
// (snapshot from /v1/alerts and /v1/aggregates, then live from the Server-Sent Events of /v1/events), service
// state from /metrics and /v1/lists, and ad-hoc screening from /v1/screen. Data from events is shown with
// textContent only, never parsed as HTML.
'use strict';

const MAX_ALERTS = 500;
const WINDOWS_SHOWN = 36;  // most recent windows of the chosen size in the charts
const TIERS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const TIER_COLOURS = { LOW: '#7a8699', MEDIUM: '#c98a00', HIGH: '#d9480f', CRITICAL: '#c1121f' };
const PALETTE = ['#4263eb', '#e8590c', '#2b8a3e', '#ae3ec9', '#1098ad', '#f59f00', '#d6336c', '#5c940d',
  '#364fc7', '#868e96', '#0ca678', '#f76707'];

const state = {
  alerts: [],             // newest first, as published (proto3 JSON)
  alertIds: new Set(),
  aggregates: new Map(),  // "size|start|corridor" -> aggregate
  windowSizes: new Set(),
  selectedAlertId: null,
  unseenCritical: [],     // CRITICAL alerts since the banner was last dismissed
  freshIds: new Set(),
  paused: false,          // the analyst froze the list to read it (button)
  hovering: false,        // the pointer is on the list: rows stay put under it
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// proto3 JSON leaves out default values and writes int64 as strings.
const num = (v) => (v === undefined || v === null || v === '' ? 0 : Number(v));
const money = (m) => (m ? num(m.amount) : 0);
const aggregateKey = (a) => `${a.windowSize || ''}|${a.windowStart || ''}|${a.corridor || ''}`;

function formatMoney(value, currency) {
  const text = value >= 1e9 ? `${(value / 1e9).toFixed(2)}B` : value >= 1e6 ? `${(value / 1e6).toFixed(2)}M`
    : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : value.toFixed(2);
  return currency ? `${text} ${currency}` : text;
}

function formatAge(seconds) {
  if (!(seconds >= 0)) return '–';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

// ---------------------------------------------------------------------------------------------------------------
// Data: snapshot, then live events after it.

function addAlert(alert, fresh) {
  if (!alert.alertId || state.alertIds.has(alert.alertId)) return;
  state.alertIds.add(alert.alertId);
  state.alerts.unshift(alert);
  if (fresh) {
    state.freshIds.add(alert.alertId);
    if (alert.riskTier === 'CRITICAL') state.unseenCritical.push(alert);
  }
  while (state.alerts.length > MAX_ALERTS) state.alertIds.delete(state.alerts.pop().alertId);
}

function addAggregate(aggregate) {
  state.aggregates.set(aggregateKey(aggregate), aggregate);
  if (aggregate.windowSize) state.windowSizes.add(aggregate.windowSize);
}

let source = null;
let buffered = null;  // events that arrived while the snapshot was loading

async function loadSnapshot() {
  buffered = [];
  try {
    const [alerts, aggregates] = await Promise.all([
      fetch(`/v1/alerts?limit=${MAX_ALERTS}`).then((r) => r.json()),
      fetch('/v1/aggregates').then((r) => r.json()),
    ]);
    state.alerts = [];
    state.alertIds.clear();
    // The snapshot is newest first; adding oldest first keeps that order.
    for (const a of alerts.alerts.slice().reverse()) addAlert(a, false);
    state.aggregates.clear();
    for (const size of aggregates.windowSizes) state.windowSizes.add(size);
    for (const a of aggregates.aggregates) addAggregate(a);
    for (const e of buffered) {
      if (e.kind === 'alert' && e.seq > alerts.seq) addAlert(e.data, true);
      if (e.kind === 'aggregate' && e.seq > aggregates.seq) addAggregate(e.data);
    }
  } finally {
    buffered = null;
    scheduleRender();
  }
}

function onEvent(kind, message) {
  const e = { kind, seq: Number(message.lastEventId), data: JSON.parse(message.data) };
  if (buffered) { buffered.push(e); return; }
  if (kind === 'alert') addAlert(e.data, true); else addAggregate(e.data);
  scheduleRender();
}

function connect() {
  source = new EventSource('/v1/events');
  const pill = $('connection');
  // Each (re)connection starts with "hello": reload the snapshot, then apply what follows it.
  source.addEventListener('hello', () => {
    pill.textContent = 'live';
    pill.className = 'pill pill-live';
    loadSnapshot();
  });
  source.addEventListener('alert', (m) => onEvent('alert', m));
  source.addEventListener('aggregate', (m) => onEvent('aggregate', m));
  source.onerror = () => {
    pill.textContent = 'reconnecting';
    pill.className = 'pill pill-down';
  };
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(() => {
    renderPending = false;
    render();
  }, 200);
}

function render() {
  renderFilters();
  renderAlerts();
  renderCriticalBanner();
  renderCharts();
  state.freshIds.clear();
}

// ---------------------------------------------------------------------------------------------------------------
// Alerts.

function fillSelect(select, values, keepAll) {
  const current = select.value;
  const wanted = [...values].sort();
  const have = [...select.options].map((o) => o.value).filter((v) => v !== '' || !keepAll);
  if (wanted.join('\n') === have.filter((v) => v !== '').join('\n')) return;
  select.replaceChildren();
  if (keepAll) select.append(el('option', { value: '' }, 'all'));
  for (const v of wanted) select.append(el('option', { value: v }, v));
  if ([...select.options].some((o) => o.value === current)) select.value = current;
}

function renderFilters() {
  const corridors = new Set();
  const rules = new Set();
  for (const a of state.alerts) {
    if (a.corridor) corridors.add(a.corridor);
    for (const r of a.reasons || []) rules.add(r.ruleId);
  }
  fillSelect($('filter-corridor'), corridors, true);
  fillSelect($('filter-rule'), rules, true);
  const aggCorridors = new Set([...state.aggregates.values()].map((a) => a.corridor).filter(Boolean));
  fillSelect($('chart-corridor'), aggCorridors, true);
  const sizeSelect = $('window-size');
  const before = sizeSelect.value;
  fillSelect(sizeSelect, state.windowSizes, false);
  if (!before && sizeSelect.options.length > 0) sizeSelect.value = [...state.windowSizes].sort()[0];
}

function alertFilter() {
  const tiers = new Set([...document.querySelectorAll('#filter-tiers input:checked')].map((i) => i.value));
  const corridor = $('filter-corridor').value;
  const rule = $('filter-rule').value;
  return (a) => tiers.has(a.riskTier) && (!corridor || a.corridor === corridor)
    && (!rule || (a.reasons || []).some((r) => r.ruleId === rule));
}

// Rows are made once per alert and moved only when the order changes, so that a row under the mouse stays put
// while new alerts arrive above it.
const rowCache = new Map();  // alertId -> <tr>

function alertRow(a) {
  let row = rowCache.get(a.alertId);
  if (row) return row;
  row = el('tr', {
    class: `row-${a.riskTier}${state.freshIds.has(a.alertId) ? ' fresh' : ''}`,
    dataset: { alertId: a.alertId, tier: a.riskTier, testid: 'alert-row' },
  },
  el('td', {}, el('span', { class: `tier tier-${a.riskTier}` }, a.riskTier)),
  el('td', { class: 'num' }, num(a.riskScore)),
  el('td', {}, a.eventTime || ''),
  el('td', {}, a.shipmentId || ''),
  el('td', {}, a.corridor || ''),
  el('td', {}, a.settlementCurrency || '–'),
  el('td', { class: 'rules-cell' }, (a.reasons || []).map((r) => r.ruleId).join(', ')));
  row.addEventListener('click', () => selectAlert(a.alertId));
  rowCache.set(a.alertId, row);
  return row;
}

function renderAlerts() {
  if (state.paused || state.hovering) {
    const waiting = state.alerts.filter(alertFilter()).filter((a) => !rowCache.has(a.alertId)).length;
    $('alerts-count').textContent = `${state.paused ? 'paused' : 'held while the pointer is on the list'}, ${waiting} new`;
    return;
  }
  const keep = alertFilter();
  const shown = state.alerts.filter(keep);
  for (const id of rowCache.keys()) if (!state.alertIds.has(id)) rowCache.delete(id);
  const body = $('alerts-body');
  let cursor = body.firstChild;
  for (const a of shown) {
    const row = alertRow(a);
    row.classList.toggle('selected', a.alertId === state.selectedAlertId);
    if (row === cursor) cursor = cursor.nextSibling;
    else body.insertBefore(row, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
  $('alerts-count').textContent = `${shown.length} shown of ${state.alerts.length} recent`;
  $('alerts-empty').hidden = state.alerts.length > 0;
}

function selectAlert(alertId) {
  state.selectedAlertId = alertId;
  const alert = state.alerts.find((a) => a.alertId === alertId);
  for (const row of document.querySelectorAll('#alerts-body tr')) {
    row.classList.toggle('selected', row.dataset.alertId === alertId);
  }
  if (alert) renderDetail(alert);
}

function renderDetail(a) {
  const reasons = el('table', { class: 'reasons' },
    el('thead', {}, el('tr', {}, el('th', {}, 'rule'), el('th', {}, 'points'), el('th', {}, 'floor'),
      el('th', {}, 'evidence'), el('th', {}, 'event fields'))),
    el('tbody', {}, (a.reasons || []).map((r) => el('tr', { dataset: { testid: 'reason', rule: r.ruleId } },
      el('td', {}, r.ruleId),
      el('td', { class: 'reason-points' }, `+${num(r.points)}`),
      el('td', {}, r.minTier && r.minTier !== 'RISK_TIER_UNSPECIFIED' ? el('span', { class: `tier tier-${r.minTier}` }, r.minTier) : '—'),
      el('td', {}, r.detail || ''),
      el('td', { class: 'evidence' }, (r.evidenceFields || []).join(', '))))));
  const matches = (a.matches || []).length === 0 ? el('p', { class: 'muted' }, 'No list entry resembles a party, bank or vessel.')
    : el('table', { class: 'matches' },
      el('thead', {}, el('tr', {}, el('th', {}, 'role'), el('th', {}, 'in the event'), el('th', {}, 'list entry'),
        el('th', {}, 'list'), el('th', {}, 'score'), el('th', {}, 'matched on'), el('th', {}, 'programs'))),
      el('tbody', {}, a.matches.map((m) => el('tr', { dataset: { testid: 'match' } },
        el('td', {}, m.partyRole || ''),
        el('td', {}, m.partyName || ''),
        el('td', {}, `${m.entryName || ''} (${m.entryId || '?'})`),
        el('td', {}, [m.listId, m.source].filter(Boolean).join(' / ')),
        el('td', { class: 'num' }, num(m.score).toFixed(3)),
        el('td', {}, m.matchedOn || ''),
        el('td', {}, (m.programs || []).join(', '))))));
  $('detail').replaceChildren(
    el('dl', {},
      el('dt', {}, 'tier'), el('dd', {}, el('span', { class: `tier tier-${a.riskTier}` }, a.riskTier), ` score ${num(a.riskScore)} / 100`),
      el('dt', {}, 'shipment'), el('dd', {}, a.shipmentId || ''),
      el('dt', {}, 'event'), el('dd', {}, `${a.eventId || ''} at ${a.eventTime || ''}`),
      el('dt', {}, 'corridor'), el('dd', {}, a.corridor || ''),
      el('dt', {}, 'settlement'), el('dd', {}, `${a.settlementCurrency || '–'} (${a.currencyClass || 'UNSPECIFIED'})`),
      el('dt', {}, 'product groups'), el('dd', {}, (a.productGroups || []).join(', ') || '–'),
      a.unknownHsCodes ? el('dt', {}, 'unknown HS codes') : null,
      a.unknownHsCodes ? el('dd', {}, a.unknownHsCodes.join(', ')) : null,
      el('dt', {}, 'list version'), el('dd', { class: 'version' }, a.listVersion || ''),
      el('dt', {}, 'rules version'), el('dd', { class: 'version' }, a.rulesVersion || ''),
      el('dt', {}, 'alert id'), el('dd', { class: 'version' }, a.alertId || '')),
    el('h3', {}, 'Reasons'), reasons,
    el('h3', {}, 'List matches'), matches,
    el('details', {}, el('summary', {}, 'as published on the alerts topic'), el('pre', { class: 'raw' }, JSON.stringify(a, null, 2))));
}

function renderCriticalBanner() {
  const banner = $('critical-banner');
  const n = state.unseenCritical.length;
  banner.hidden = n === 0;
  if (n === 0) return;
  const last = state.unseenCritical[state.unseenCritical.length - 1];
  const rules = (last.reasons || []).filter((r) => r.minTier === 'CRITICAL').map((r) => r.ruleId).join(', ');
  $('critical-text').textContent = `${n} new critical alert${n > 1 ? 's' : ''}; latest: shipment ${last.shipmentId} `
    + `${last.corridor || ''} ${rules ? `(${rules})` : ''}`;
  document.title = `(${n} CRITICAL) sanctions-monitor`;
}

// ---------------------------------------------------------------------------------------------------------------
// Charts over the chosen window size.

const charts = {};
function chart(id, type, options) {
  if (!charts[id]) {
    charts[id] = new Chart($(id), {
      type,
      data: { labels: [], datasets: [] },
      options: Object.assign({ animation: false, maintainAspectRatio: false, responsive: true,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } }, options),
    });
  }
  return charts[id];
}

function setData(c, labels, datasets) {
  c.data.labels = labels;
  c.data.datasets = datasets;
  c.update('none');
}

const shortTime = (start, size) => (size && size.endsWith('h') ? start.slice(5, 16).replace('T', ' ') : start.slice(0, 10));

function renderCharts() {
  if (typeof Chart === 'undefined') return;
  const size = $('window-size').value;
  const corridor = $('chart-corridor').value;
  const rows = [...state.aggregates.values()].filter((a) => a.windowSize === size);
  const starts = [...new Set(rows.map((a) => a.windowStart))].sort().slice(-WINDOWS_SHOWN);
  const shown = new Set(starts);
  const windowRows = rows.filter((a) => shown.has(a.windowStart));
  const selected = windowRows.filter((a) => !corridor || a.corridor === corridor);
  const currency = (selected.find((a) => a.totalValue && a.totalValue.currency) || {}).totalValue?.currency || '';
  $('windows-note').textContent = starts.length ? `${starts.length} windows, ${starts[0]} … ${starts[starts.length - 1]}` : 'no aggregates yet';
  const labels = starts.map((s) => shortTime(s, size));
  const byStart = new Map(starts.map((s) => [s, []]));
  for (const a of selected) byStart.get(a.windowStart).push(a);

  // Shares: sums over the selected corridors, so "all corridors" is value-weighted.
  const share = (f) => starts.map((s) => {
    const group = byStart.get(s);
    const [n, d] = group.reduce((acc, a) => { const [x, y] = f(a); return [acc[0] + x, acc[1] + y]; }, [0, 0]);
    return d > 0 ? +(100 * n / d).toFixed(2) : null;
  });
  const cls = (a, k) => money((a.valueByCurrencyClass || {})[k]);
  setData(chart('chart-shares', 'line', { scales: { y: { min: 0, max: 100, title: { display: true, text: '% of value' } } } }), labels, [
    { label: 'national currency', data: share((a) => [cls(a, 'NATIONAL'), money(a.totalValue)]), borderColor: '#2b8a3e', backgroundColor: '#2b8a3e', spanGaps: true },
    { label: 'national, energy excluded', data: share((a) => [money(a.nationalValueExEnergy), money(a.totalValueExEnergy)]), borderColor: '#94d82d', backgroundColor: '#94d82d', borderDash: [6, 3], spanGaps: true },
    { label: 'USD', data: share((a) => [cls(a, 'USD'), money(a.totalValue)]), borderColor: '#c1121f', backgroundColor: '#c1121f', spanGaps: true },
  ]);

  const groups = [...new Set(selected.flatMap((a) => Object.keys(a.valueByProductGroup || {})))].sort();
  setData(chart('chart-groups', 'bar', { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: currency } } } }), labels,
    groups.map((g, i) => ({ label: g, backgroundColor: PALETTE[i % PALETTE.length],
      data: starts.map((s) => byStart.get(s).reduce((t, a) => t + money((a.valueByProductGroup || {})[g]), 0)) })));

  setData(chart('chart-tiers', 'bar', { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'events' } } } }), labels,
    TIERS.map((t) => ({ label: t, backgroundColor: TIER_COLOURS[t],
      data: starts.map((s) => byStart.get(s).reduce((n, a) => n + num((a.alertsByTier || {})[t]), 0)) })));

  // Per corridor: the 12 largest corridors by value over the shown windows (the corridor filter does not apply).
  const corridorValue = new Map();
  for (const a of windowRows) corridorValue.set(a.corridor, (corridorValue.get(a.corridor) || 0) + money(a.totalValue));
  const corridors = [...corridorValue.entries()].sort((x, y) => y[1] - x[1]).slice(0, 12).map(([c]) => c);
  const classes = ['NATIONAL', 'USD', 'EUR', 'THIRD_COUNTRY', 'BARTER', 'UNKNOWN'];
  const classColours = { NATIONAL: '#2b8a3e', USD: '#c1121f', EUR: '#364fc7', THIRD_COUNTRY: '#f59f00', BARTER: '#868e96', UNKNOWN: '#ced4da' };
  setData(chart('chart-corridors', 'bar', { indexAxis: 'y', scales: { x: { stacked: true, title: { display: true, text: currency } }, y: { stacked: true } } }), corridors,
    classes.map((k) => ({ label: k, backgroundColor: classColours[k],
      data: corridors.map((c) => windowRows.filter((a) => a.corridor === c).reduce((t, a) => t + cls(a, k), 0)) }))
      .filter((d) => d.data.some((v) => v > 0)));

  renderCounterparties(starts, byStart);
}

// Top counterparties, when the aggregates carry them (a repeated field whose name mentions counterparties): summed
// over the corridors of the latest window shown.
function renderCounterparties(starts, byStart) {
  const figure = $('counterparties-figure');
  const latest = starts[starts.length - 1];
  const rows = latest ? byStart.get(latest) : [];
  const totals = new Map();
  for (const a of rows) {
    const field = Object.keys(a).find((k) => /counterpart/i.test(k) && Array.isArray(a[k]));
    for (const c of field ? a[field] : []) {
      const name = c.name || c.counterparty || c.partyName || '?';
      const valueField = Object.keys(c).find((k) => /exposure|value|amount/i.test(k));
      const value = valueField ? (typeof c[valueField] === 'object' ? money(c[valueField]) : num(c[valueField])) : 0;
      const entry = totals.get(name) || { value: 0, details: new Set() };
      entry.value += value;
      for (const [k, v] of Object.entries(c)) {
        if (k !== valueField && !/^(name|counterparty|partyName)$/.test(k) && typeof v !== 'object') entry.details.add(`${k}: ${v}`);
      }
      totals.set(name, entry);
    }
  }
  figure.hidden = totals.size === 0;
  if (totals.size === 0) return;
  $('counterparties-window').textContent = `(${latest})`;
  const top = [...totals.entries()].sort((x, y) => y[1].value - x[1].value).slice(0, 10);
  $('counterparties-body').replaceChildren(...top.map(([name, e]) => el('tr', {},
    el('td', {}, name), el('td', { class: 'num' }, formatMoney(e.value)), el('td', { class: 'explain' }, [...e.details].join('; ')))));
}

// ---------------------------------------------------------------------------------------------------------------
// Service state.

function parseMetrics(text) {
  const series = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] || '').slice(1, -1).matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    series.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return series;
}

const sum = (series, name, labels = {}) => series.filter((s) => s.name === name
  && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((t, s) => t + s.value, 0);
const has = (series, name) => series.some((s) => s.name === name);

let lastRate = null;
async function pollService() {
  try {
    const s = parseMetrics(await fetch('/metrics').then((r) => r.text()));
    const ready = sum(s, 'sanctions_monitor_ready') === 1;
    const consumed = sum(s, 'sanctions_monitor_events_consumed_total');
    const now = performance.now();
    if (lastRate && now > lastRate.at) $('svc-rate').textContent = ((consumed - lastRate.consumed) * 1000 / (now - lastRate.at)).toFixed(1);
    lastRate = { consumed, at: now };
    $('svc-consumed').textContent = consumed.toLocaleString();
    const lagSeries = s.filter((x) => /^sanctions_monitor_.*consumer_lag/.test(x.name) && !x.name.endsWith('_seconds'));
    $('svc-lag').textContent = lagSeries.length ? lagSeries.reduce((t, x) => t + x.value, 0).toLocaleString() : 'n/a';
    const rejects = sum(s, 'sanctions_monitor_events_rejected_total');
    const dlq = sum(s, 'sanctions_monitor_records_produced_total', { kind: 'dead_letter' });
    $('svc-rejects').textContent = rejects.toLocaleString();
    $('svc-dlq').textContent = dlq.toLocaleString();
    $('svc-late').textContent = sum(s, 'sanctions_monitor_late_events_total').toLocaleString();
    const aborted = sum(s, 'sanctions_monitor_transactions_aborted_total');
    $('svc-txn').textContent = `${sum(s, 'sanctions_monitor_transactions_committed_total').toLocaleString()} committed`
      + (aborted ? `, ${aborted} aborted` : '');
    $('svc-txn').classList.toggle('bad', aborted > 0);
    if (has(s, 'sanctions_monitor_lists_loaded_timestamp_seconds')) {
      $('svc-lists-age').textContent = formatAge(Date.now() / 1000 - sum(s, 'sanctions_monitor_lists_loaded_timestamp_seconds'));
    }
    $('svc-ready').textContent = ready ? 'yes' : 'no';
    $('svc-ready').classList.toggle('bad', !ready);
  } catch (e) {
    $('svc-ready').textContent = 'unreachable';
    $('svc-ready').classList.add('bad');
  }
}

async function pollLists() {
  try {
    const lists = await fetch('/v1/lists').then((r) => r.json());
    const entries = lists.lists.reduce((t, l) => t + num(l.entries), 0);
    const node = $('svc-lists');
    node.textContent = `${lists.lists.length} lists, ${entries.toLocaleString()} entries${lists.sampleLists ? ' (samples)' : ''}`;
    node.title = [`lists ${lists.version}`, `rules ${lists.rulesVersion}`,
      ...lists.lists.map((l) => `${l.listId}: ${num(l.entries).toLocaleString()} entries`)].join('\n');
  } catch (e) {
    $('svc-lists').textContent = 'unreachable';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Ad-hoc screening.

async function screenName(event) {
  event.preventDefault();
  const name = $('screen-name').value.trim();
  if (!name) return;
  const status = $('screen-status');
  const table = document.querySelector('[data-testid=screen-results]');
  status.textContent = 'screening…';
  try {
    const response = await fetch(`/v1/screen?name=${encodeURIComponent(name)}`);
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || response.statusText);
    status.textContent = `${answer.matches.length} match${answer.matches.length === 1 ? '' : 'es'} for “${answer.query}” `
      + `against lists ${answer.listVersion}`;
    table.hidden = answer.matches.length === 0;
    $('screen-body').replaceChildren(...answer.matches.map((m, i) => el('tr', { class: m.critical ? 'critical' : '', dataset: { testid: 'screen-match' } },
      el('td', { class: 'num' }, i + 1),
      el('td', {}, el('div', { class: 'entry-name' }, m.entryName), el('div', { class: 'explain' },
        `“${m.queryNormalised}” vs “${m.entryNormalised}”${m.secondarySanctionsRisk ? ' · secondary-sanctions risk' : ''}`)),
      el('td', {}, [m.listId, m.source].filter(Boolean).join(' / '), el('div', { class: 'explain' }, m.entryId)),
      el('td', { class: 'num' }, num(m.score).toFixed(3), m.critical ? el('div', {}, el('span', { class: 'tier tier-CRITICAL' }, 'CRITICAL')) : null),
      el('td', {}, m.matchedOn),
      el('td', {}, (m.programs || []).join(', ')))));
  } catch (e) {
    status.textContent = `screening failed: ${e.message}`;
    table.hidden = true;
  }
}

// ---------------------------------------------------------------------------------------------------------------

function start() {
  for (const id of ['filter-corridor', 'filter-rule']) $(id).addEventListener('change', renderAlerts);
  $('filter-tiers').addEventListener('change', renderAlerts);
  for (const id of ['window-size', 'chart-corridor']) $(id).addEventListener('change', renderCharts);
  $('screen-form').addEventListener('submit', screenName);
  $('alerts-pause').addEventListener('click', () => {
    state.paused = !state.paused;
    $('alerts-pause').textContent = state.paused ? 'resume' : 'pause';
    $('alerts-pause').setAttribute('aria-pressed', String(state.paused));
    renderAlerts();
  });
  $('alerts-body').addEventListener('pointerenter', () => { state.hovering = true; });
  $('alerts-body').addEventListener('pointerleave', () => { state.hovering = false; renderAlerts(); });
  $('critical-dismiss').addEventListener('click', () => {
    state.unseenCritical = [];
    document.title = 'sanctions-monitor';
    renderCriticalBanner();
  });
  $('critical-show').addEventListener('click', () => {
    const last = state.unseenCritical[state.unseenCritical.length - 1];
    if (!last) return;
    for (const box of document.querySelectorAll('#filter-tiers input')) if (box.value === 'CRITICAL') box.checked = true;
    renderAlerts();
    selectAlert(last.alertId);
    document.querySelector(`#alerts-body tr[data-alert-id="${CSS.escape(last.alertId)}"]`)?.scrollIntoView({ block: 'center' });
  });
  connect();
  pollService();
  pollLists();
  setInterval(pollService, 2000);
  setInterval(pollLists, 15000);
}

document.addEventListener('DOMContentLoaded', start);
