/* app.js: the page of `dyad serve`: reads the filters from the URL, asks the
 * JSON API (/api/events, /api/dyads, /api/timeline, /api/events/ID, /api/code)
 * and draws the table, the Cytoscape network, the ECharts timeline and the mentions. */
'use strict';

(() => {
  const FILTERS = ['actor', 'dyad', 'code', 'root', 'since', 'until', 'doc'];
  const LIMITS = [25, 50, 100, 250];
  const $ = (sel) => document.querySelector(sel);

  const state = { filters: {}, offset: 0, limit: 50, total: 0, events: [] };
  let cy = null;        // the Cytoscape instance (kept across loads)
  let chart = null;     // the ECharts instance
  let loadGen = 0;      // a newer load makes an older one's replies stale
  let loadsDone = 0;    // exposed as body[data-loads] so tests can wait for a load
  let lastOpener = null;

  // ---------------------------------------------------------------- API
  class ApiError extends Error {
    constructor(status, message, path) {
      super(message);
      this.status = status;
      this.path = path;
    }
  }

  /* Event ids are 64-bit integers, beyond what a JS number holds exactly
   * (2^53), so they are read as strings. Inside a JSON string every quote is
   * escaped, so `{"id":` or `,"id":` followed by digits can only be a key. */
  function parseJson(text) {
    return JSON.parse(text.replace(/([{,]\s*"id"\s*:\s*)(-?\d+)/g, '$1"$2"'));
  }

  async function api(path, init) {
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, `cannot reach the server (${e.message})`, path);
    }
    const text = await res.text();
    let body = null;
    try {
      body = text ? parseJson(text) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const msg = body && typeof body.error === 'string' ? body.error
        : `${res.status} ${res.statusText || 'error'}`;
      throw new ApiError(res.status, msg, path);
    }
    if (body === null) throw new ApiError(res.status, 'the server sent a reply that is not JSON', path);
    return body;
  }

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  function count(n, word) {
    return typeof n === 'number' ? `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}` : `? ${word}s`;
  }

  function fmtNum(n, digits = 1) {
    return typeof n === 'number' && Number.isFinite(n)
      ? (n > 0 ? '+' : n < 0 ? '−' : '') + Math.abs(n).toFixed(digits) : '—';
  }

  /* The Goldstein colour scale, -10 (red) through grey to +10 (blue); the
   * legend in style.css (.scale) uses the same stops. */
  const STOPS = [[-10, [178, 24, 43]], [-5, [227, 118, 90]], [0, [156, 163, 173]],
    [5, [79, 155, 203]], [10, [29, 95, 168]]];
  function goldsteinColor(v) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return '#9ca3ad';
    const x = Math.max(-10, Math.min(10, v));
    for (let i = 0; i + 1 < STOPS.length; i++) {
      const [a, ca] = STOPS[i];
      const [b, cb] = STOPS[i + 1];
      if (x <= b) {
        const t = (x - a) / (b - a);
        const c = ca.map((ch, k) => Math.round(ch + (cb[k] - ch) * t));
        return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
      }
    }
    return 'rgb(29, 95, 168)';
  }

  const QUADS = { 1: ['VC', 'verbal cooperation'], 2: ['MC', 'material cooperation'],
    3: ['VK', 'verbal conflict'], 4: ['MK', 'material conflict'] };
  function quadBadge(q) {
    const d = QUADS[q];
    if (!d) return null;
    return el('span', { class: `quad q${q}`, title: `quad ${q}: ${d[1]}` }, d[0]);
  }

  function goldsteinCell(v) {
    const track = el('span', { class: 'track', 'aria-hidden': 'true' });
    if (typeof v === 'number' && Number.isFinite(v)) {
      const bar = el('span', { class: 'bar' });
      const w = Math.min(10, Math.abs(v)) / 10 * 50; // percent of the track
      bar.style.width = `${Math.max(w, 2)}%`;
      bar.style.left = v >= 0 ? '50%' : `${50 - Math.max(w, 2)}%`;
      bar.style.background = goldsteinColor(v);
      track.append(bar);
    }
    return el('span', { class: 'gs' }, el('span', { class: 'num' }, fmtNum(v)), track);
  }

  function actorCell(code, name) {
    return el('span', { class: 'actor' },
      el('span', { class: 'code' }, code || '—'),
      name ? el('span', { class: 'name' }, name) : null);
  }

  // Only web links become links (a stored url could say javascript:).
  function safeUrl(u) {
    return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null;
  }

  // ------------------------------------------------------- highlighting
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8');
  const ROLE = { src: 'source', tgt: 'target', verb: 'verb' };

  function charStart(bytes, i) {
    return i === bytes.length || (bytes[i] & 0xc0) !== 0x80;
  }

  /* The sentence with its spans marked. Spans are [offset, length] in UTF-8
   * bytes of the text: the text is encoded, cut at every span edge, and each
   * piece decoded again; a piece inside several spans gets every role's class.
   * Spans that are null, out of range or not on character edges are left out. */
  function highlight(text, spans) {
    const frag = document.createDocumentFragment();
    const bytes = encoder.encode(text || '');
    const cuts = new Set([0, bytes.length]);
    const good = [];
    for (const { span, cls, label } of spans) {
      if (!Array.isArray(span) || span.length !== 2) continue;
      const [off, len] = span;
      if (!Number.isInteger(off) || !Number.isInteger(len) || off < 0 || len <= 0 ||
          off + len > bytes.length || !charStart(bytes, off) || !charStart(bytes, off + len)) continue;
      good.push({ a: off, b: off + len, cls, label });
      cuts.add(off);
      cuts.add(off + len);
    }
    const points = [...cuts].sort((x, y) => x - y);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      const piece = decoder.decode(bytes.subarray(a, b));
      const over = good.filter((g) => g.a <= a && g.b >= b);
      if (!over.length) {
        frag.append(piece);
        continue;
      }
      const classes = [...new Set(over.map((g) => g.cls))];
      frag.append(el('mark', {
        class: classes.join(' '),
        title: over.map((g) => `${ROLE[g.cls]}${g.label ? `: ${g.label}` : ''}`).join('; '),
      }, piece));
    }
    return frag;
  }

  function eventSpans(ev) {
    return [
      { span: ev.source_span, cls: 'src', label: ev.source },
      { span: ev.target_span, cls: 'tgt', label: ev.target },
      { span: ev.verb_span, cls: 'verb', label: ev.code },
    ];
  }

  function keys() {
    return el('p', { class: 'keys' }, 'Highlighted:',
      el('mark', { class: 'src' }, 'source'), el('mark', { class: 'tgt' }, 'target'),
      el('mark', { class: 'verb' }, 'verb'));
  }

  // ---------------------------------------------------------- URL state
  function readUrl() {
    const q = new URLSearchParams(location.search);
    state.filters = {};
    for (const k of FILTERS) {
      const v = (q.get(k) || '').trim();
      if (v) state.filters[k] = v;
    }
    const lim = parseInt(q.get('limit'), 10);
    state.limit = LIMITS.includes(lim) ? lim : 50;
    const off = parseInt(q.get('offset'), 10);
    state.offset = Number.isInteger(off) && off > 0 ? off : 0;
  }

  function filterQuery() {
    const q = new URLSearchParams();
    for (const k of FILTERS) if (state.filters[k]) q.set(k, state.filters[k]);
    return q;
  }

  function pageQuery() {
    const q = filterQuery();
    q.set('limit', String(state.limit));
    q.set('offset', String(state.offset));
    return q;
  }

  function writeUrl() {
    const q = filterQuery();
    if (state.limit !== 50) q.set('limit', String(state.limit));
    if (state.offset) q.set('offset', String(state.offset));
    const s = q.toString();
    const url = location.pathname + (s ? `?${s}` : '');
    if (url !== location.pathname + location.search) history.pushState(null, '', url);
  }

  function fillForm() {
    for (const k of FILTERS) $(`#f-${k}`).value = state.filters[k] || '';
    $('#limit').value = String(state.limit);
  }

  function readForm() {
    state.filters = {};
    for (const k of FILTERS) {
      const v = $(`#f-${k}`).value.trim();
      if (v) state.filters[k] = v;
    }
  }

  // Apply the filters in the form (or those given) from the first page.
  function apply(patch) {
    if (patch) {
      readForm();
      Object.assign(state.filters, patch);
      for (const k of Object.keys(patch)) if (!patch[k]) delete state.filters[k];
      fillForm();
    } else {
      readForm();
    }
    state.offset = 0;
    writeUrl();
    load();
  }

  // ------------------------------------------------------------- errors
  function clearError() {
    const box = $('#error');
    box.hidden = true;
    box.textContent = '';
    for (const k of FILTERS) $(`#f-${k}`).removeAttribute('aria-invalid');
  }

  function showErrors(errors) {
    if (!errors.length) return;
    const box = $('#error');
    const seen = new Set();
    box.textContent = '';
    for (const e of errors) {
      const msg = e.message || String(e);
      if (seen.has(msg)) continue;
      seen.add(msg);
      const what = e.status ? `Error ${e.status}` : 'Error';
      box.append(el('div', null, el('strong', null, `${what}:`), msg));
      // "since: expected YYYY-MM-DD, got ..." names the field to mark.
      const field = /^([a-z]+):/.exec(msg);
      if (field && FILTERS.includes(field[1])) $(`#f-${field[1]}`).setAttribute('aria-invalid', 'true');
    }
    box.hidden = false;
  }

  // ------------------------------------------------------------ loading
  async function load() {
    const gen = ++loadGen;
    clearError();
    updateCsv();
    const busy = [$('#events'), $('#graph'), $('#timeline')];
    for (const b of busy) {
      b.classList.add('busy');
      b.setAttribute('aria-busy', 'true');
    }
    const fq = filterQuery().toString();
    const amp = fq ? `${fq}&` : '';
    const [evs, dyads, days] = await Promise.allSettled([
      api(`/api/events?${pageQuery()}`),
      api(`/api/dyads?${amp}limit=100`),
      api(`/api/timeline${fq ? `?${fq}` : ''}`),
    ]);
    if (gen !== loadGen) return;
    for (const b of busy) {
      b.classList.remove('busy');
      b.removeAttribute('aria-busy');
    }
    const errors = [];
    if (evs.status === 'fulfilled') renderEvents(evs.value);
    else { errors.push(evs.reason); renderEvents(null); }
    if (dyads.status === 'fulfilled') renderGraph(dyads.value.dyads || []);
    else { errors.push(dyads.reason); renderGraph([], true); }
    if (days.status === 'fulfilled') renderTimeline(days.value.days || []);
    else { errors.push(days.reason); renderTimeline([], true); }
    showErrors(errors);
    document.body.dataset.loads = String(++loadsDone);
  }

  function updateCsv() {
    const q = pageQuery();
    q.set('format', 'csv');
    $('#csv').href = `/api/events?${q}`;
  }

  async function loadHealth() {
    try {
      const h = await api('/api/health');
      $('#health').textContent =
        `${h.events.toLocaleString('en')} events · ${h.articles.toLocaleString('en')} articles · dyad ${h.version}`;
    } catch (e) {
      $('#health').textContent = 'server not answering';
      showErrors([e]);
    }
  }

  // -------------------------------------------------------------- table
  function renderEvents(page) {
    const body = $('#events tbody');
    body.textContent = '';
    state.events = page ? page.events || [] : [];
    state.total = page ? page.total || 0 : 0;
    const n = state.events.length;
    $('#range').textContent = !page ? '' : state.total === 0 ? '0 events'
      : n === 0 ? `none of ${state.total.toLocaleString('en')} on this page`
        : `${(state.offset + 1).toLocaleString('en')}–${(state.offset + n).toLocaleString('en')} of ${state.total.toLocaleString('en')}`;
    $('#empty').hidden = !page || n > 0;
    $('#prev').disabled = !page || state.offset === 0;
    $('#next').disabled = !page || state.offset + state.limit >= state.total;
    for (const ev of state.events) {
      const date = ev.date
        ? el('span', { title: ev.last_date && ev.last_date !== ev.date ? `first ${ev.date}, last ${ev.last_date}` : null }, ev.date)
        : el('span', { class: 'undated' }, 'undated');
      const tr = el('tr', { 'data-id': ev.id },
        el('td', { class: 'date' }, date),
        el('td', null, actorCell(ev.source, ev.source_name)),
        el('td', null, actorCell(ev.target, ev.target_name)),
        el('td', null, el('span', { class: 'ev' },
          el('span', { class: 'line1' }, el('span', { class: 'code' }, ev.code), quadBadge(ev.quad)),
          el('span', { class: 'name' }, ev.code_name || ''))),
        el('td', null, goldsteinCell(ev.goldstein)),
        el('td', { class: 'counts' }, `${ev.num_mentions ?? '—'} / ${ev.num_articles ?? '—'}`),
        el('td', { class: 'sentence' },
          el('button', { type: 'button', class: 'open-ev', title: 'Show every mention of this event',
            'aria-label': `Open event ${ev.code} ${ev.source} to ${ev.target}: ${ev.text || ''}` },
          highlight(ev.text, eventSpans(ev)))));
      body.append(tr);
    }
  }

  // ------------------------------------------------------- event dialog
  async function openEvent(id, opener) {
    lastOpener = opener || null;
    for (const r of document.querySelectorAll('#events tr.open')) r.classList.remove('open');
    const row = document.querySelector(`#events tr[data-id="${CSS.escape(id)}"]`);
    if (row) row.classList.add('open');
    let ev;
    try {
      ev = await api(`/api/events/${encodeURIComponent(id)}`);
    } catch (e) {
      showErrors([e]);
      return;
    }
    renderEvent(ev);
    const dlg = $('#event-dialog');
    if (!dlg.open) dlg.showModal();
    $('#dlg-close').focus();
  }

  function renderEvent(ev) {
    const title = $('#dlg-title');
    title.textContent = '';
    title.append(el('span', { class: 'mono' }, ev.code), quadBadge(ev.quad), ev.code_name || '');
    const body = $('#dlg-body');
    body.textContent = '';
    const dates = ev.date ? (ev.last_date && ev.last_date !== ev.date ? `${ev.date} to ${ev.last_date}` : ev.date) : 'undated';
    body.append(
      el('p', { class: 'dyad-line' },
        el('mark', { class: 'src' }, ev.source), ev.source_name ? `(${ev.source_name})` : '',
        el('span', { class: 'arrow', 'aria-label': 'acts on' }, '→'),
        el('mark', { class: 'tgt' }, ev.target), ev.target_name ? `(${ev.target_name})` : '',
        ev.reciprocal ? el('span', { class: 'note' }, '· reciprocal') : null),
      el('dl', { class: 'summary' },
        el('dt', null, 'Date'), el('dd', null, dates),
        el('dt', null, 'Goldstein'), el('dd', null, goldsteinCell(ev.goldstein)),
        el('dt', null, 'PLOVER'), el('dd', null, ev.plover || '—'),
        el('dt', null, 'Reports'), el('dd', null,
          `${count(ev.num_mentions, 'mention')} in ${count(ev.num_articles, 'article')} from ${count(ev.num_sources, 'source')}`),
        el('dt', null, 'Place'), el('dd', null, ev.place || '—'),
        el('dt', null, 'Event id'), el('dd', { class: 'mono' }, ev.id)),
      keys());
    const mentions = ev.mentions || [];
    body.append(el('h3', null, `Mentions (${mentions.length})`));
    const list = el('ul', { class: 'mentions' });
    for (const m of mentions) {
      const url = safeUrl(m.url);
      list.append(el('li', { class: 'mention' },
        el('p', { class: 'text' }, highlight(m.text, eventSpans(m))),
        el('p', { class: 'meta' },
          el('span', null, el('b', null, m.source), ' → ', el('b', null, m.target), ' ', el('span', { class: 'mono' }, m.code)),
          el('span', null, 'document ', el('button', {
            type: 'button', class: 'linkish', title: 'Show only this document’s events',
            onclick: () => { $('#event-dialog').close(); apply({ doc: m.doc }); },
          }, m.doc), `, sentence ${m.sentence + 1}`),
          el('span', null, `date ${m.date || 'none'}`),
          el('span', null, `publisher ${m.publisher || 'unknown'}`),
          url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url)
            : el('span', null, m.url ? `url ${m.url}` : 'no url'),
          el('span', { class: 'pattern', title: 'the dictionary pattern that matched' }, m.pattern || ''))));
    }
    body.append(list);
  }

  // -------------------------------------------------------------- graph
  const GRAPH_STYLE = [
    // Labels inside the nodes: a label beside a node would hide arrowheads.
    { selector: 'node', style: {
      'background-color': '#2b3f5c', label: 'data(id)', color: '#ffffff', 'font-size': 'data(fs)',
      'font-weight': 700, 'text-valign': 'center', 'text-halign': 'center',
      width: 'data(w)', height: 'data(h)', 'border-width': 2, 'border-color': '#ffffff',
    } },
    { selector: 'node.current', style: { 'background-color': '#f2a900', color: '#17202b', 'border-color': '#17202b' } },
    { selector: 'edge', style: {
      width: 'data(width)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
      'target-arrow-shape': 'triangle', 'arrow-scale': 0.9, 'curve-style': 'bezier', opacity: 0.85,
      'control-point-step-size': 28,
    } },
    // A loop (an actor on itself) must reach outside its node to be drawn.
    { selector: 'edge:loop', style: { 'control-point-step-size': 'data(loop)', 'loop-direction': '-45deg', 'loop-sweep': '-70deg' } },
    { selector: 'edge.current', style: { opacity: 1, 'line-outline-width': 2.5, 'line-outline-color': '#f2a900' } },
    { selector: 'edge:active, node:active', style: { 'overlay-color': '#f2a900', 'overlay-opacity': 0.25 } },
  ];

  /* cose lays the graph out about as tall as wide; the box is wider than
   * tall, so spread the positions sideways to use it (and zoom in less). */
  function stretchToBox(box) {
    const bb = cy.nodes().boundingBox({ includeLabels: false });
    if (!bb.w || !bb.h || !box.clientHeight) return;
    const sx = (box.clientWidth / box.clientHeight) / (bb.w / bb.h);
    if (sx <= 1.05) return;
    const k = Math.min(sx, 2.5);
    cy.nodes().positions((nd) => ({ x: bb.x1 + (nd.position('x') - bb.x1) * k, y: nd.position('y') }));
  }

  function renderGraph(dyads, failed) {
    const box = $('#graph');
    const info = $('#graph-info');
    const chips = $('#top-dyads');
    chips.textContent = '';
    if (typeof window.cytoscape !== 'function') {
      info.textContent = 'The network library (cytoscape) did not load.';
      return;
    }
    const nodes = new Map();
    let maxEv = 1;
    for (const d of dyads) {
      for (const c of [d.source, d.target]) nodes.set(c, (nodes.get(c) || 0) + d.events);
      maxEv = Math.max(maxEv, d.events);
    }
    const maxNode = Math.max(1, ...nodes.values());
    const elements = [];
    // Start from a circle, busiest first, and let cose move the nodes from
    // there: no randomness, so the same filters draw the same picture.
    const order = [...nodes.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const rank = new Map(order.map(([id], i) => [id, i]));
    for (const [id, n] of nodes) {
      const a = (2 * Math.PI * rank.get(id)) / nodes.size;
      const position = { x: 200 * Math.cos(a), y: 200 * Math.sin(a) };
      const size = 26 + 24 * Math.sqrt(n / maxNode);
      elements.push({ group: 'nodes', position,
        data: { id, events: n, h: size, w: Math.max(size, 7.5 * id.length + 12), fs: 11 } });
    }
    for (const d of dyads) {
      elements.push({ group: 'edges', data: {
        id: `${d.source}>${d.target}`, source: d.source, target: d.target, events: d.events,
        mentions: d.mentions, mean: d.goldstein_mean, color: goldsteinColor(d.goldstein_mean),
        width: 1.5 + 8.5 * Math.sqrt(d.events / maxEv), loop: 55,
      } });
    }
    if (!cy) {
      cy = window.cytoscape({ container: box, style: GRAPH_STYLE, boxSelectionEnabled: false,
        minZoom: 0.3, maxZoom: 3 });
      cy.on('tap', 'edge', (e) => {
        const d = e.target.data();
        apply({ dyad: `${d.source}:${d.target}` });
      });
      cy.on('tap', 'node', (e) => apply({ actor: e.target.id(), dyad: '' }));
      cy.on('mouseover', 'edge', (e) => {
        const d = e.target.data();
        info.textContent = `${d.source} → ${d.target}: ${d.events} events, ${d.mentions} mentions, mean Goldstein ${fmtNum(d.mean)}`;
        box.style.cursor = 'pointer';
      });
      cy.on('mouseover', 'node', (e) => {
        info.textContent = `${e.target.id()}: in ${e.target.data('events')} events`;
        box.style.cursor = 'pointer';
      });
      cy.on('mouseout', 'node, edge', () => { box.style.cursor = ''; });
    }
    cy.elements().remove();
    cy.add(elements);
    const dyad = state.filters.dyad ? state.filters.dyad.toUpperCase() : '';
    if (dyad) cy.getElementById(dyad.replace(':', '>')).addClass('current');
    if (state.filters.actor) cy.getElementById(state.filters.actor.toUpperCase()).addClass('current');
    cy.layout({ name: nodes.size > 2 ? 'cose' : 'circle', animate: false, padding: 24,
      nodeRepulsion: () => 40000, idealEdgeLength: () => 90, nodeOverlap: 20, gravity: 0.6,
      componentSpacing: 60, randomize: false }).run();
    stretchToBox(box);
    cy.fit(undefined, 24);
    // A graph of two or three nodes would fill the box with giant circles;
    // a large one zoomed out would have unreadable labels and hairline
    // edges: nodes, labels and edges keep about their size on the screen.
    const z = cy.zoom();
    if (z > 1.25) {
      cy.zoom(1.25);
      cy.center();
    } else if (z < 0.95) {
      const k = Math.min(1 / z, 2.5);
      cy.batch(() => {
        cy.nodes().forEach((nd) => nd.data({ w: nd.data('w') * k, h: nd.data('h') * k, fs: 11 * k }));
        cy.edges().forEach((ed) => ed.data({ width: ed.data('width') * k, loop: ed.data('loop') * k }));
      });
      cy.fit(undefined, 24);
    }
    info.textContent = failed ? 'Not drawn: the server refused the request (see the error above).'
      : dyads.length
        ? `${count(nodes.size, 'actor')}, ${count(dyads.length, 'dyad')}${dyads.length >= 100 ? ' (the 100 most active)' : ''}. Hover an edge for its figures.`
        : 'No dyads for these filters.';
    box.dataset.nodes = String(cy.nodes().length);
    box.dataset.edges = String(cy.edges().length);
    // The most active dyads as buttons: the keyboard's way into the graph.
    for (const d of dyads.slice(0, 8)) {
      const key = `${d.source}:${d.target}`;
      const chip = el('button', { type: 'button', class: 'chip', 'aria-pressed': String(key === dyad),
        title: `mean Goldstein ${fmtNum(d.goldstein_mean)}; filter by this dyad`,
        onclick: () => apply({ dyad: key }) },
      el('span', { class: 'dot', 'aria-hidden': 'true' }), `${d.source} → ${d.target}`,
      el('span', { class: 'n' }, String(d.events)));
      chip.firstChild.style.background = goldsteinColor(d.goldstein_mean);
      chips.append(chip);
    }
    const list = $('#actors');
    if (list.childElementCount === 0 && nodes.size) {
      for (const id of [...nodes.keys()].sort()) list.append(el('option', { value: id }));
    }
  }

  // ----------------------------------------------------------- timeline
  function renderTimeline(days, failed) {
    const box = $('#timeline');
    const info = $('#timeline-info');
    if (!window.echarts) {
      info.textContent = 'The chart library (echarts) did not load.';
      return;
    }
    if (!chart) {
      chart = window.echarts.init(box, null, { renderer: 'canvas' });
      chart.on('click', (p) => {
        const date = Array.isArray(p.data) ? p.data[0] : null;
        if (date) apply({ since: date, until: date });
      });
      window.addEventListener('resize', () => chart.resize());
    }
    const coop = days.map((d) => [d.date, (d.quad?.['1'] || 0) + (d.quad?.['2'] || 0)]);
    const conf = days.map((d) => [d.date, -((d.quad?.['3'] || 0) + (d.quad?.['4'] || 0))]);
    const byDate = new Map(days.map((d) => [d.date, d]));
    chart.setOption({
      animation: false,
      grid: { left: 44, right: 18, top: 40, bottom: days.length > 45 ? 64 : 36 },
      legend: { top: 4, textStyle: { color: '#17202b' } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (items) => {
          const d = byDate.get(items[0].data[0]);
          if (!d) return '';
          const q = d.quad || {};
          const mean = d.events ? d.goldstein_sum / d.events : 0;
          return `<b>${d.date}</b>: ${d.events} events<br>` +
            `cooperation ${(q['1'] || 0) + (q['2'] || 0)} (verbal ${q['1'] || 0}, material ${q['2'] || 0})<br>` +
            `conflict ${(q['3'] || 0) + (q['4'] || 0)} (verbal ${q['3'] || 0}, material ${q['4'] || 0})<br>` +
            `mean Goldstein ${fmtNum(mean)}`;
        },
      },
      xAxis: { type: 'time',
        axisLabel: { color: '#4a5564', hideOverlap: true,
          formatter: { year: '{yyyy}', month: '{MMM} {yyyy}', day: '{MMM} {d}' } }, axisLine: { lineStyle: { color: '#98a1ae' } } },
      yAxis: { type: 'value', minInterval: 1, name: 'events', nameTextStyle: { color: '#4a5564' },
        axisLabel: { color: '#4a5564', formatter: (v) => String(Math.abs(v)) },
        splitLine: { lineStyle: { color: '#eceff4' } } },
      dataZoom: days.length > 45 ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }] : [],
      series: [
        { name: 'Cooperation (quads 1+2)', type: 'bar', stack: 'day', data: coop, barMaxWidth: 26,
          itemStyle: { color: '#2f6db5', borderRadius: [3, 3, 0, 0] } },
        { name: 'Conflict (quads 3+4)', type: 'bar', stack: 'day', data: conf, barMaxWidth: 26,
          itemStyle: { color: '#c0392b', borderRadius: [0, 0, 3, 3] } },
      ],
    }, { notMerge: true });
    const dated = days.reduce((s, d) => s + d.events, 0);
    const undated = state.total - dated;
    info.textContent = failed ? 'Not drawn: the server refused the request (see the error above).'
      : !days.length ? 'No dated events for these filters.'
      : `${count(days.length, 'day')}, ${count(dated, 'dated event')}${undated > 0
        ? `; ${count(undated, 'undated event')} not drawn` : ''}.`;
    box.dataset.days = String(days.length);
  }

  // --------------------------------------------------- code an article
  async function codeArticle(ev) {
    ev.preventDefault();
    const out = $('#code-result');
    const text = $('#code-text').value;
    const date = $('#code-date').value.trim();
    out.textContent = '';
    if (!text.trim()) {
      out.append(el('p', { class: 'error', role: 'alert' }, 'Paste the text of an article first.'));
      return;
    }
    const btn = $('#code-submit');
    btn.disabled = true;
    out.setAttribute('aria-busy', 'true');
    let res;
    try {
      const body = { text };
      if (date) body.date = date;
      res = await api('/api/code', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body) });
    } catch (e) {
      out.append(el('div', { class: 'error', role: 'alert' },
        el('strong', null, e.status ? `Error ${e.status}:` : 'Error:'), e.message));
      return;
    } finally {
      btn.disabled = false;
      out.removeAttribute('aria-busy');
    }
    const events = res.events || [];
    out.append(el('p', { class: 'summary-line' },
      `${events.length} event${events.length === 1 ? '' : 's'} in ${res.sentences} sentence${res.sentences === 1 ? '' : 's'}` +
      (res.date ? `, article dated ${res.date}` : ', no date')));
    for (const w of res.warnings || []) out.append(el('p', { class: 'warn' }, typeof w === 'string' ? w : JSON.stringify(w)));
    if (!events.length) return;
    out.append(keys());
    const list = el('ol', { class: 'coded' });
    for (const e of events) {
      list.append(el('li', { 'data-code': e.code },
        el('div', { class: 'head' },
          el('span', { class: 'mono' }, el('b', null, e.code)), quadBadge(e.quad), el('span', null, e.code_name || ''),
          el('span', null, '·'), el('b', null, e.source), '→', el('b', null, e.target),
          el('span', null, '·'), goldsteinCell(e.goldstein),
          el('span', { class: 'note' }, `sentence ${e.sentence + 1}, ${e.date || 'undated'}`)),
        el('p', { class: 'text' }, highlight(e.text, eventSpans(e)))));
    }
    out.append(list);
  }

  // --------------------------------------------------------------- wiring
  function init() {
    readUrl();
    fillForm();
    $('#filters').addEventListener('submit', (e) => { e.preventDefault(); apply(); });
    $('#reset').addEventListener('click', () => {
      state.filters = {};
      state.offset = 0;
      fillForm();
      writeUrl();
      load();
    });
    $('#limit').addEventListener('change', () => {
      state.limit = parseInt($('#limit').value, 10) || 50;
      state.offset = 0;
      writeUrl();
      load();
    });
    $('#prev').addEventListener('click', () => {
      state.offset = Math.max(0, state.offset - state.limit);
      writeUrl();
      load();
    });
    $('#next').addEventListener('click', () => {
      state.offset += state.limit;
      writeUrl();
      load();
    });
    $('#events tbody').addEventListener('click', (e) => {
      if (e.target.closest('a')) return;
      const tr = e.target.closest('tr[data-id]');
      if (tr) openEvent(tr.dataset.id, tr.querySelector('button.open-ev'));
    });
    const dlg = $('#event-dialog');
    $('#dlg-close').addEventListener('click', () => dlg.close());
    dlg.addEventListener('click', (e) => { if (e.target === dlg) dlg.close(); });
    dlg.addEventListener('close', () => {
      for (const r of document.querySelectorAll('#events tr.open')) r.classList.remove('open');
      if (lastOpener && document.contains(lastOpener)) lastOpener.focus();
    });
    $('#code-form').addEventListener('submit', codeArticle);
    window.addEventListener('popstate', () => {
      readUrl();
      fillForm();
      load();
    });
    window.addEventListener('resize', () => { if (cy) cy.resize(); });
    loadHealth();
    load();
  }

  // For the browser tests and the console: the chart instances and the state.
  window.dyad = { get cy() { return cy; }, get chart() { return chart; }, state };
  init();
})();
