// reco console: plain JavaScript, no build step. Every figure comes from this server: the JSON gateway
// (POST /reco.v1.Recommender/METHOD, proto3 JSON) and the console's read-only routes under /console/api/.
'use strict';

(function () {
  const main = document.getElementById('main');
  const MODEL_NAMES = {
    MODEL_POPULARITY: 'popularity', MODEL_CONTENT: 'content', MODEL_ITEM_KNN: 'item-knn',
    MODEL_ALS: 'als', MODEL_EASE: 'ease', MODEL_HYBRID: 'hybrid'
  };
  let liveTimer = null;
  let modelInfoCache = null;

  // ---------------------------------------------------------------- DOM and calls

  /** h('td', {class: 'num'}, 'text', childNode, ...): an element; strings become text (never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function show(...nodes) {
    main.replaceChildren(...nodes);
  }

  class CallError extends Error {
    constructor(code, message, httpStatus) {
      super(message);
      this.code = code;
      this.httpStatus = httpStatus;
    }
  }

  function adminToken() {
    return sessionStorage.getItem('reco.adminToken') || '';
  }

  async function readJson(response) {
    const text = await response.text();
    try {
      return text ? JSON.parse(text) : {};
    } catch (e) {
      return { code: 'unknown', message: text.trim() || response.statusText };
    }
  }

  // The server's HTTP listener runs a few requests at once and answers the rest 503 + Retry-After:
  // the page keeps at most MAX_PARALLEL requests in flight and retries such a 503 after a pause.
  const MAX_PARALLEL = 3;
  let inFlight = 0;
  const waiting = [];

  async function send(url, options) {
    while (inFlight >= MAX_PARALLEL) await new Promise(resolve => waiting.push(resolve));
    inFlight++;
    try {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(url, options);
        if (response.status !== 503 || !response.headers.get('retry-after') || attempt >= 4) return response;
        await new Promise(resolve => setTimeout(resolve, 200 * (attempt + 1)));
      }
    } finally {
      inFlight--;
      const next = waiting.shift();
      if (next) next();
    }
  }

  /** One unary call through the JSON gateway. */
  async function rpc(service, method, request) {
    const headers = { 'content-type': 'application/json', 'connect-protocol-version': '1' };
    if (service === 'Admin' && adminToken()) headers.authorization = 'Bearer ' + adminToken();
    const response = await send('/reco.v1.' + service + '/' + method,
      { method: 'POST', headers, body: JSON.stringify(request || {}) });
    const body = await readJson(response);
    if (!response.ok) throw new CallError(body.code || 'unknown', body.message || response.statusText, response.status);
    return body;
  }

  const recommender = (method, request) => rpc('Recommender', method, request);

  async function api(path) {
    const headers = {};
    if (adminToken()) headers.authorization = 'Bearer ' + adminToken();
    const response = await send('/console/api/' + path, { headers });
    const body = await readJson(response);
    if (!response.ok) throw new CallError(body.code || 'unknown', body.message || response.statusText, response.status);
    return body;
  }

  function errorBox(e) {
    const code = e instanceof CallError ? e.code : 'error';
    const status = e instanceof CallError && e.httpStatus ? ' (HTTP ' + e.httpStatus + ')' : '';
    return h('div', { class: 'error', id: 'error', role: 'alert', 'data-code': code },
      h('code', {}, code), status + ': ' + e.message);
  }

  async function modelInfo(refresh) {
    if (!modelInfoCache || refresh) modelInfoCache = await recommender('GetModelInfo', {});
    return modelInfoCache;
  }

  // ---------------------------------------------------------------- formatting

  const fmtInt = n => (n === undefined || n === null) ? '0' : Number(n).toLocaleString('en-US');
  const fmtScore = s => (s === undefined ? 0 : s).toFixed(4);
  const modelName = m => MODEL_NAMES[m] || m || '';
  const itemLink = (id, text) => h('a', { href: '#/item/' + encodeURIComponent(id) }, text || id);

  function age(iso) {
    if (!iso) return '';
    const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 120) return Math.round(seconds) + ' s ago';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h ago';
    return Math.round(seconds / 86400) + ' days ago';
  }

  function kv(pairs) {
    return h('dl', { class: 'kv' }, pairs.filter(p => p).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  }

  function paramText(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'object') {
      return Object.entries(value).map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v)).join(', ');
    }
    return String(value);
  }

  function tags(list) {
    return (list || []).map(c => h('span', { class: 'tag' }, c));
  }

  // ---------------------------------------------------------------- generation overview

  /** Validation or tuning figures a trainer recorded in the manifest's parameters, if any. */
  function scores(generation) {
    const p = generation.parameters || {};
    const found = p.validation || p.tuning || p.evaluation;
    return found ? paramText(found) : '';
  }

  async function overviewPage() {
    const [info, history, session] = await Promise.all([modelInfo(true), api('generations'), api('session')]);
    const served = (history.generations || []).find(g => g.id === info.generationId) || {};
    const cards = [h('h1', {}, 'Generation ', h('span', { id: 'generation-id' }, info.generationId))];
    cards.push(h('div', { class: 'card' }, kv([
      ['created', (info.createdAt || '') + ' (' + age(info.createdAt) + ')'],
      ['loaded by this server', (info.loadedAt || '') + ' (' + age(info.loadedAt) + ')'],
      ['items', fmtInt(info.itemCount)],
      ['users', fmtInt(info.userCount)],
      ['interactions', fmtInt(info.interactionCount)],
      served.counts ? ['positives', fmtInt(served.counts.positives)] : null,
      served.counts ? ['malformed rows', fmtInt(served.counts.malformedRows)] : null,
      ['default model', modelName(info.defaultModel)],
      ['format version', info.formatVersion],
      ['trainer', info.trainerVersion],
      ['current on disk', history.current === info.generationId ? 'yes'
        : h('span', { class: 'badge warn' }, 'CURRENT names ' + history.current)]
    ])));
    if (session.admin) {
      const status = h('span', { class: 'muted', id: 'reload-status' });
      cards.push(h('div', { class: 'card' }, h('button', {
        id: 'reload', onclick: async () => {
          status.textContent = ' reloading...';
          try {
            const r = await rpc('Admin', 'Reload', {});
            status.textContent = r.changed ? ' now serving ' + r.generationId : ' already serving ' + r.generationId;
          } catch (e) {
            status.replaceChildren(errorBox(e));
          }
        }
      }, 'Reload CURRENT now'), status));
    }
    const params = new Map(((served.models) || []).map(m => [m.name, m.parameters]));
    cards.push(h('h2', {}, 'Models'), h('table', { id: 'models' },
      h('tr', {}, h('th', {}, 'model'), h('th', { class: 'num' }, 'neighbours/item'), h('th', { class: 'num' }, 'dimensions'),
        h('th', {}, 'users'), h('th', {}, 'parameters')),
      (info.models || []).map(m => h('tr', {},
        h('td', {}, modelName(m.model), m.model === info.defaultModel ? h('span', { class: 'badge' }, 'default') : null),
        h('td', { class: 'num' }, m.neighborsPerItem || 0), h('td', { class: 'num' }, m.dimensions || 0),
        h('td', {}, m.recommendsForUsers ? 'yes' : 'items only'),
        h('td', { class: 'muted' }, paramText(params.get(modelName(m.model))))))));
    if (served.parameters) {
      cards.push(h('h2', {}, 'Training profile'), h('div', { class: 'card', id: 'training' },
        kv(Object.entries(served.parameters).map(([k, v]) => [k, paramText(v)]))));
    }
    cards.push(h('h2', {}, 'History'), h('table', { id: 'history' },
      h('tr', {}, h('th', {}, 'generation'), h('th', {}, 'created'), h('th', { class: 'num' }, 'items'),
        h('th', { class: 'num' }, 'users'), h('th', { class: 'num' }, 'interactions'), h('th', {}, 'default'),
        h('th', {}, 'models'), h('th', {}, 'validation / tuning')),
      (history.generations || []).map(g => h('tr', {},
        h('td', {}, g.id, g.id === history.served ? h('span', { class: 'badge' }, 'served') : null),
        g.error ? h('td', { colspan: 7, class: 'error' }, g.error) : [
          h('td', {}, age(g.createdAt)),
          h('td', { class: 'num' }, fmtInt(g.counts && g.counts.items)),
          h('td', { class: 'num' }, fmtInt(g.counts && g.counts.users)),
          h('td', { class: 'num' }, fmtInt(g.counts && g.counts.interactions)),
          h('td', {}, g.defaultModel),
          h('td', {}, (g.models || []).map(m => m.name).join(', ')),
          h('td', { class: 'muted' }, scores(g) || 'none recorded')]))));
    show(...cards);
  }

  // ---------------------------------------------------------------- item page

  async function itemPage(id, params) {
    if (!id) return askFor('item');
    const k = clampK(params.get('k'), 10);
    const info = await modelInfo();
    let item, first;
    try {
      // the default model's neighbours first: an unknown id fails here with the gateway's error
      first = await recommender('SimilarItems', { itemId: id, k });
      item = await api('item?id=' + encodeURIComponent(id));
    } catch (e) {
      return show(h('h1', {}, 'Item ', id), errorBox(e));
    }
    const models = (info.models || []).map(m => m.model).filter(m => m !== 'MODEL_POPULARITY');
    const columns = await Promise.all(models.map(async model => {
      try {
        const r = model === first.servedBy ? first : await recommender('SimilarItems', { itemId: id, k, model });
        return similarColumn(model, r);
      } catch (e) {
        return h('div', { class: 'card', 'data-model': modelName(model) }, h('h2', {}, modelName(model)), errorBox(e));
      }
    }));
    show(h('h1', {}, item.title || id),
      h('div', { class: 'card', id: 'item' }, kv([
        ['item id', h('span', { id: 'item-id' }, item.itemId)],
        ['categories', h('span', {}, tags(item.categories))],
        ['interactions', fmtInt(item.interactions)],
        ['generation', item.generationId]])),
      h('h2', {}, 'Similar items per model (k = ' + k + ')'),
      h('div', { class: 'columns', id: 'similar' }, columns));
  }

  function similarColumn(model, response) {
    return h('div', { class: 'card', 'data-model': modelName(model) },
      h('h2', {}, modelName(model), response.fallback ? h('span', { class: 'badge warn' }, 'fallback') : null),
      h('table', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'item'), h('th', { class: 'num' }, 'score')),
        (response.items || []).map((it, i) => h('tr', { class: 'rec', 'data-item-id': it.itemId },
          h('td', { class: 'num' }, i + 1),
          h('td', {}, itemLink(it.itemId, it.title || it.itemId), h('br'), tags(it.categories)),
          h('td', { class: 'num' }, fmtScore(it.score))))));
  }

  // ---------------------------------------------------------------- user and session pages

  function clampK(value, fallback) {
    const k = parseInt(value || '', 10);
    return Number.isFinite(k) && k > 0 ? Math.min(k, 100) : fallback;
  }

  function knobs(params) {
    return {
      k: clampK(params.get('k'), 10),
      model: params.get('model') || 'MODEL_UNSPECIFIED',
      diversity: parseFloat(params.get('diversity') || '0') || 0,
      contextWeight: parseFloat(params.get('contextWeight') || '0') || 0,
      hour: params.get('hour') === null ? '' : params.get('hour')
    };
  }

  function knobForm(kind, id, state, info) {
    const go = () => {
      const q = new URLSearchParams();
      q.set('k', form.k.value);
      if (form.model.value !== 'MODEL_UNSPECIFIED') q.set('model', form.model.value);
      if (parseFloat(form.diversity.value) > 0) q.set('diversity', form.diversity.value);
      if (parseFloat(form.contextWeight.value) > 0) q.set('contextWeight', form.contextWeight.value);
      if (form.hour.value !== '') q.set('hour', form.hour.value);
      location.hash = '#/' + kind + '/' + encodeURIComponent(id) + '?' + q.toString();
    };
    const models = ['MODEL_UNSPECIFIED'].concat((info.models || []).filter(m => m.recommendsForUsers).map(m => m.model));
    const form = h('form', { class: 'knobs card', id: 'knobs', onsubmit: e => { e.preventDefault(); go(); } },
      h('label', {}, 'k', h('input', { name: 'k', type: 'number', min: 1, max: 100, value: state.k })),
      h('label', {}, 'model', h('select', { name: 'model', onchange: go },
        models.map(m => h('option', { value: m, selected: m === state.model },
          m === 'MODEL_UNSPECIFIED' ? 'default (' + modelName(info.defaultModel) + ')' : modelName(m))))),
      h('label', {}, 'diversity ' + state.diversity.toFixed(2),
        h('input', { name: 'diversity', type: 'range', min: 0, max: 1, step: 0.05, value: state.diversity, onchange: go })),
      h('label', {}, 'time-of-day weight ' + state.contextWeight.toFixed(2),
        h('input', { name: 'contextWeight', type: 'range', min: 0, max: 1, step: 0.05, value: state.contextWeight, onchange: go })),
      h('label', {}, 'hour (UTC)', h('select', { name: 'hour', onchange: go },
        h('option', { value: '', selected: state.hour === '' }, 'now'),
        Array.from({ length: 24 }, (_, i) => h('option', { value: String(i), selected: String(i) === state.hour },
          String(i).padStart(2, '0') + ':00')))),
      h('button', { type: 'submit' }, 'Recommend'));
    return form;
  }

  function contextTime(hour) {
    if (hour === '') return undefined;
    const d = new Date();
    d.setUTCHours(parseInt(hour, 10), 0, 0, 0);
    return d.toISOString();
  }

  async function recommendPage(kind, id, params) {
    if (!id) return askFor(kind);
    const info = await modelInfo();
    const state = knobs(params);
    const base = kind === 'user' ? { userId: id } : { itemIds: id.split(',').map(s => s.trim()).filter(s => s) };
    const method = kind === 'user' ? 'RecommendForUser' : 'RecommendForItems';
    const request = Object.assign({ k: state.k, model: state.model, explain: true }, base);
    const knobbed = Object.assign({}, request);
    if (state.diversity > 0) knobbed.diversity = state.diversity;
    if (state.contextWeight > 0) {
      knobbed.contextWeight = state.contextWeight;
      if (contextTime(state.hour)) knobbed.contextTime = contextTime(state.hour);
    }
    const withKnobs = state.diversity > 0 || state.contextWeight > 0;
    const title = h('h1', {}, kind === 'user' ? 'User ' + id : 'Session of ' + base.itemIds.length + ' items');
    let response, plain;
    try {
      [response, plain] = await Promise.all([recommender(method, knobbed),
        withKnobs ? recommender(method, request) : Promise.resolve(null)]);
    } catch (e) {
      return show(title, knobForm(kind, id, state, info), errorBox(e));
    }
    const explained = await Promise.all((response.items || []).map(async it => {
      const req = Object.assign({ itemId: it.itemId, model: response.servedBy, maxContributions: 3 },
        kind === 'user' ? { userId: id } : { itemIds: base.itemIds });
      if (response.servedBy === 'MODEL_POPULARITY') return null;
      try {
        return await recommender('Explain', req);
      } catch (e) {
        return { error: e.message };
      }
    }));
    const plainIds = plain ? new Set((plain.items || []).map(it => it.itemId)) : null;
    const summary = kv([
      ['served by', modelName(response.servedBy)],
      ['fallback', response.fallback ? h('span', { class: 'badge warn', id: 'fallback' }, response.fallbackReason || 'yes') : 'no'],
      ['generation', response.generationId],
      withKnobs ? ['knobs', 'diversity ' + state.diversity + ', time-of-day ' + state.contextWeight
        + (state.hour !== '' ? ' at ' + state.hour + ':00 UTC' : '') + ' (highlighted rows are not in the list without knobs)'] : null
    ]);
    const table = h('table', { id: 'recommendations' },
      h('tr', {}, h('th', {}, '#'), h('th', {}, 'item'), h('th', { class: 'num' }, 'score'), h('th', {}, 'why (Explain)')),
      (response.items || []).map((it, i) => {
        const ex = explained[i];
        const contributions = ex && ex.contributions ? ex.contributions.map(c =>
          h('div', { class: 'contrib' }, (c.title || c.itemId) + ' ' + (c.contribution >= 0 ? '+' : '') + c.contribution.toFixed(4)))
          : ex && ex.error ? [h('div', { class: 'contrib error' }, 'Explain: ' + ex.error)] : [];
        return h('tr', { class: 'rec' + (plainIds && !plainIds.has(it.itemId) ? ' new' : ''), 'data-item-id': it.itemId },
          h('td', { class: 'num' }, i + 1),
          h('td', {}, itemLink(it.itemId, it.title || it.itemId), h('br'), tags(it.categories)),
          h('td', { class: 'num' }, fmtScore(it.score)),
          h('td', {}, h('div', { class: 'reason' }, (ex && ex.reason) || it.reason || ''), contributions));
      }));
    const parts = [title, knobForm(kind, id, state, info), h('div', { class: 'card' }, summary), table];
    if (plain) {
      parts.push(h('h2', {}, 'Without knobs'), h('table', { id: 'plain' },
        (plain.items || []).map((it, i) => h('tr', {}, h('td', { class: 'num' }, i + 1),
          h('td', {}, itemLink(it.itemId, it.title || it.itemId)), h('td', { class: 'num' }, fmtScore(it.score))))));
    }
    show(...parts);
  }

  function askFor(kind) {
    const input = h('input', { id: 'ask-id', placeholder: kind === 'session' ? 'item ids, comma-separated' : kind + ' id' });
    show(h('h1', {}, kind === 'item' ? 'Item' : 'User or session'),
      h('form', { class: 'card knobs', onsubmit: e => { e.preventDefault(); location.hash = '#/' + kind + '/' + encodeURIComponent(input.value.trim()); } },
        input, h('button', { type: 'submit' }, 'Open')),
      kind === 'user' ? h('p', { class: 'muted' }, 'Or an anonymous session: ',
        h('a', { href: '#/session' }, 'recommend for a list of item ids')) : null);
  }

  // ---------------------------------------------------------------- live panel

  const WINDOW = 120; // points kept (one a second)

  /** The q-quantile, in ms, of the calls between two cumulative histogram reads; null without calls. */
  function quantile(prev, now, q) {
    const deltas = now.map(([le, count], i) => [le, count - (prev[i] ? prev[i][1] : 0)]);
    const total = deltas.length ? deltas[deltas.length - 1][1] : 0;
    if (total <= 0) return null;
    const target = q * total;
    let lower = 0, below = 0;
    for (const [le, count] of deltas) {
      if (count >= target) {
        const share = count === below ? 1 : (target - below) / (count - below);
        return (lower + (le - lower) * share) * 1000;
      }
      lower = le;
      below = count;
    }
    return lower * 1000;
  }

  async function livePage() {
    const series = { t: [], rate: [], fallbacks: [], refusals: [], p50: [], p95: [], p99: [] };
    const stats = h('div', { class: 'stats', id: 'live-stats' });
    const rateBox = h('div', { class: 'card', id: 'rate-chart' });
    const latencyBox = h('div', { class: 'card', id: 'latency-chart' });
    const methods = h('div', { class: 'card' });
    show(h('h1', {}, 'Live'), stats, h('div', { class: 'charts' }, rateBox, latencyBox), h('h2', {}, 'Calls since start'), methods);
    const width = Math.max(500, rateBox.clientWidth - 30);
    const axes = label => [{}, { label, size: 60 }];
    const rateChart = new uPlot({ title: 'reco.v1.Recommender calls per second', width, height: 240, axes: axes('per second'),
      series: [{}, { label: 'calls', stroke: '#2f5fd0' }, { label: 'fallbacks', stroke: '#f79009' }, { label: 'refusals', stroke: '#d92d20' }] },
    [[], [], [], []], rateBox);
    const latencyChart = new uPlot({ title: 'latency (ms) in each second', width, height: 240, axes: axes('ms'),
      series: [{}, { label: 'p50', stroke: '#12b76a' }, { label: 'p95', stroke: '#2f5fd0' }, { label: 'p99', stroke: '#7a5af8' }] },
    [[], [], [], []], latencyBox);
    let prev = null;
    const stat = (label, value, id) => h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'stat', id }, value));
    async function tick() {
      let now;
      try {
        now = await api('meters');
      } catch (e) {
        stats.replaceChildren(errorBox(e));
        return;
      }
      if (prev) {
        const dt = Math.max(0.001, (now.timeMillis - prev.timeMillis) / 1000);
        series.t.push(now.timeMillis / 1000);
        series.rate.push((now.calls - prev.calls) / dt);
        series.fallbacks.push((now.fallbacksTotal - prev.fallbacksTotal) / dt);
        series.refusals.push((now.refusalsTotal - prev.refusalsTotal) / dt);
        series.p50.push(quantile(prev.latencyBuckets, now.latencyBuckets, 0.5));
        series.p95.push(quantile(prev.latencyBuckets, now.latencyBuckets, 0.95));
        series.p99.push(quantile(prev.latencyBuckets, now.latencyBuckets, 0.99));
        for (const s of Object.values(series)) if (s.length > WINDOW) s.shift();
        rateChart.setData([series.t, series.rate, series.fallbacks, series.refusals]);
        latencyChart.setData([series.t, series.p50, series.p95, series.p99]);
      }
      const last = a => a.length ? a[a.length - 1] : null;
      const ms = v => v === null ? '-' : v.toFixed(v < 10 ? 2 : 0) + ' ms';
      stats.replaceChildren(
        stat('calls / s', last(series.rate) === null ? '-' : last(series.rate).toFixed(1), 'live-rate'),
        stat('p50', ms(last(series.p50)), 'live-p50'), stat('p95', ms(last(series.p95)), 'live-p95'),
        stat('p99', ms(last(series.p99)), 'live-p99'),
        stat('calls since start', fmtInt(now.calls), 'live-calls'),
        stat('fallbacks', fmtInt(now.fallbacksTotal), 'live-fallbacks'),
        stat('refusals', fmtInt(now.refusalsTotal), 'live-refusals'));
      methods.replaceChildren(h('table', { id: 'live-methods' },
        h('tr', {}, h('th', {}, 'method'), h('th', { class: 'num' }, 'calls')),
        Object.entries(now.byMethod).map(([m, c]) => h('tr', {}, h('td', {}, m), h('td', { class: 'num' }, fmtInt(c)))),
        Object.entries(now.byStatus).map(([s, c]) => h('tr', {}, h('td', { class: 'muted' }, 'status ' + s), h('td', { class: 'num' }, fmtInt(c)))),
        Object.entries(now.fallbacks).map(([r, c]) => h('tr', {}, h('td', { class: 'muted' }, 'fallback: ' + r), h('td', { class: 'num' }, fmtInt(c)))),
        Object.entries(now.refusals).map(([r, c]) => h('tr', {}, h('td', { class: 'muted' }, 'refused: ' + r), h('td', { class: 'num' }, fmtInt(c))))));
      prev = now;
    }
    await tick();
    liveTimer = setInterval(tick, 1000);
  }

  // ---------------------------------------------------------------- routing

  async function route() {
    if (liveTimer) {
      clearInterval(liveTimer);
      liveTimer = null;
    }
    const hash = location.hash.replace(/^#/, '') || '/';
    const [path, query] = hash.split('?');
    const params = new URLSearchParams(query || '');
    const parts = path.split('/').filter(p => p);
    const page = parts[0] || 'overview';
    const id = parts.length > 1 ? decodeURIComponent(parts.slice(1).join('/')) : '';
    for (const a of document.querySelectorAll('nav a')) {
      a.classList.toggle('active', a.dataset.page === page || (a.dataset.page === 'user' && page === 'session'));
    }
    document.body.dataset.page = page;
    document.body.dataset.ready = 'false';
    try {
      if (page === 'item') await itemPage(id, params);
      else if (page === 'user' || page === 'session') await recommendPage(page, id, params);
      else if (page === 'live') await livePage();
      else await overviewPage();
    } catch (e) {
      show(errorBox(e));
    }
    document.body.dataset.ready = 'true';
  }

  async function who() {
    const el = document.getElementById('who');
    try {
      const s = await api('session');
      el.replaceChildren(s.admin ? 'admin' : 'read-only',
        ' ', h('a', { href: '#', onclick: e => {
          e.preventDefault();
          const token = prompt('Admin token (kept in this tab only; empty to forget it)', adminToken());
          if (token === null) return;
          if (token) sessionStorage.setItem('reco.adminToken', token); else sessionStorage.removeItem('reco.adminToken');
          who();
          route();
        } }, s.adminNeedsToken ? 'token' : ''));
    } catch (e) {
      el.textContent = '';
    }
  }

  document.getElementById('lookup').addEventListener('submit', e => {
    e.preventDefault();
    const id = document.getElementById('lookup-id').value.trim();
    if (id) location.hash = '#/' + document.getElementById('lookup-kind').value + '/' + encodeURIComponent(id);
  });
  window.addEventListener('hashchange', route);
  who();
  route();
})();
