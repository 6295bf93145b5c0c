// Taskee ops dashboard: plain JS, no dependencies. Reads /v1/ops with the key kept in sessionStorage.
(() => {
  const $ = (selector) => document.querySelector(selector);
  const keyName = 'taskee.ops.key';
  const history = [];
  let selectedOrg = null;
  let auditAbort = null;

  const text = (value) => (value === null || value === undefined ? '–' : String(value));
  const number = (value) => (value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US'));
  const micros = (value) => (!value ? '–' : value >= 1000 ? (value / 1000).toFixed(1) + ' ms' : value + ' µs');
  const duration = (seconds) => {
    if (seconds === null || seconds === undefined) return '–';
    if (seconds < 90) return Math.round(seconds) + ' s';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min';
    return (seconds / 3600).toFixed(1) + ' h';
  };

  function cell(row, value, className) {
    const td = document.createElement('td');
    td.textContent = value;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function fill(tableSelector, items, render) {
    const body = $(tableSelector + ' tbody');
    body.replaceChildren();
    for (const item of items) {
      const row = document.createElement('tr');
      render(row, item);
      body.appendChild(row);
    }
    if (items.length === 0) {
      const row = document.createElement('tr');
      cell(row, 'none yet', 'muted').colSpan = 12;
      body.appendChild(row);
    }
  }

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(keyName) } });
    if (response.status === 401 || response.status === 403) throw new Error('That key may not read ops data (' + response.status + ').');
    if (!response.ok) throw new Error(path + ' answered ' + response.status);
    return response.json();
  }

  function orgLink(row, orgId) {
    const td = document.createElement('td');
    const link = document.createElement('a');
    link.textContent = orgId;
    link.dataset.org = orgId;
    link.addEventListener('click', () => openOrganisation(orgId));
    td.appendChild(link);
    row.appendChild(td);
  }

  function drawChart() {
    const svg = $('#chart');
    const max = Math.max(1, ...history.map((h) => h.rate));
    const step = 600 / Math.max(1, history.length - 1);
    const points = history.map((h, i) => `${(i * step).toFixed(1)},${(115 - (h.rate / max) * 105).toFixed(1)}`).join(' ');
    svg.innerHTML = `<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="${points}"></polyline>` +
      `<text x="4" y="12" font-size="10" fill="#6b7785">${Math.round(max).toLocaleString('en-US')} checks/s</text>`;
  }

  async function refresh() {
    try {
      const o = await api('/v1/ops/overview');
      const alive = o.nodes.filter((n) => n.alive);
      const rate = alive.reduce((sum, n) => sum + (n.stats ? n.stats.checksPerSecond : 0), 0);
      const decisions = alive.reduce((sum, n) => sum + (n.stats ? n.stats.decisions : 0), 0);
      const denials = alive.reduce((sum, n) => sum + (n.stats ? n.stats.denials : 0), 0);
      $('#nodes-alive').textContent = alive.length + ' / ' + o.nodes.length;
      $('#checks-rate').textContent = number(Math.round(rate));
      $('#allowed-total').textContent = number(decisions - denials);
      $('#denied-total').textContent = number(denials);
      history.push({ at: o.at, rate });
      if (history.length > 60) history.shift();
      drawChart();

      fill('#nodes', o.nodes, (row, n) => {
        row.className = n.alive ? '' : 'dead';
        cell(row, n.id + (n.self ? ' (this)' : ''));
        cell(row, n.version);
        cell(row, duration(n.uptimeSeconds));
        cell(row, n.heartbeatAgeSeconds.toFixed(1) + ' s');
        const s = n.stats || {};
        cell(row, text(s.activeGrains));
        cell(row, text(s.checksPerSecond));
        cell(row, number(s.decisions !== undefined ? s.decisions - s.denials : null));
        cell(row, number(s.denials));
        cell(row, micros(s.p50Microseconds));
        cell(row, micros(s.p99Microseconds));
        cell(row, number(s.ledgerRoundTrips));
        cell(row, s.flushLagSeconds !== undefined ? s.flushLagSeconds + ' s' : '–');
      });
      fill('#top-traffic', o.organisations.topByTraffic, (row, l) => { orgLink(row, l.orgId); cell(row, number(l.decisions)); cell(row, number(l.denials)); });
      fill('#top-denials', o.organisations.topByDenials, (row, l) => { orgLink(row, l.orgId); cell(row, number(l.denials)); cell(row, number(l.decisions)); });
      fill('#near-limit', o.organisations.nearLimit, (row, l) => { orgLink(row, l.orgId); cell(row, l.metric); cell(row, Math.round(l.usedFraction * 100) + ' %'); });

      const health = $('#health');
      health.replaceChildren();
      const item = (label, value, state) => {
        const li = document.createElement('li');
        li.innerHTML = '<strong></strong> <span></span>';
        li.firstChild.textContent = label + ':';
        li.lastChild.textContent = value;
        li.lastChild.className = state;
        health.appendChild(li);
      };
      const w = o.webhooks;
      item('Stripe webhooks', w.configured ? `last received ${text(w.lastReceived)}, ${number(w.received)} received, ${number(w.failed)} failed (this node)` : 'no webhook secret configured', w.configured && w.failed > 0 ? 'bad' : 'ok');
      if (o.jwks.length === 0) item('JWKS', 'no token issuer configured', 'muted');
      for (const i of o.jwks) item('JWKS ' + i.issuer, i.stale ? `stale since ${text(i.lastSuccess)}: ${text(i.lastError)}` : `${i.keys} keys, refreshed ${text(i.lastSuccess)}`, i.stale ? 'bad' : 'ok');
      item('Audit stream lag', o.auditLagSeconds + ' s', o.auditLagSeconds > 5 ? 'warn' : 'ok');

      const hooks = await api('/v1/ops/webhooks');
      $('#webhooks-limit').textContent = hooks.limit;
      fill('#webhooks', hooks.endpoints, (row, e) => {
        row.dataset.webhook = e.webhookId;
        orgLink(row, e.orgId);
        cell(row, e.host);
        const state = e.enabled ? 'enabled' : e.disabledReason ? 'disabled: ' + e.disabledReason : 'disabled by an admin';
        cell(row, state, e.enabled ? 'ok' : 'bad wrap');
        cell(row, text(e.lastDeliveryAt));
        cell(row, e.lastOutcome ? e.lastOutcome + (e.lastStatusCode ? ' ' + e.lastStatusCode : '') : '–', e.lastOutcome && e.lastOutcome !== 'succeeded' ? 'bad' : '');
        cell(row, number(e.failureStreak), e.failureStreak > 0 ? 'warn' : '');
        cell(row, (e.backlogExact ? '' : '≥ ') + number(e.backlog));
        cell(row, text(e.nextAttemptAt));
      });

      $('#updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      if (selectedOrg) await loadOrganisation(selectedOrg);
    } catch (error) {
      $('#updated').textContent = error.message;
    }
  }

  async function loadOrganisation(orgId) {
    const d = await api('/v1/ops/organisations/' + encodeURIComponent(orgId));
    $('#org-id').textContent = orgId;
    const settings = $('#org-settings');
    settings.replaceChildren();
    for (const [label, value] of [['name', d.organisation.name], ['plan', d.organisation.plan], ['status', d.organisation.status], ['version', d.organisation.version], ['checks here', d.decisions], ['denied here', d.denials]]) {
      const dt = document.createElement('dt'); dt.textContent = label;
      const dd = document.createElement('dd'); dd.textContent = text(value);
      dd.dataset.field = label;
      settings.append(dt, dd);
    }
    fill('#org-usage', Object.entries(d.usage), (row, [metric, u]) => {
      cell(row, metric); cell(row, number(u.used)); cell(row, number(u.limit));
      const td = document.createElement('td');
      const bar = document.createElement('div'); bar.className = 'bar';
      const fillBar = document.createElement('span');
      const fraction = u.limit > 0 ? Math.min(1, u.used / u.limit) : 0;
      fillBar.style.width = (fraction * 100).toFixed(1) + '%';
      if (fraction >= 0.9) fillBar.className = 'hot';
      bar.appendChild(fillBar); td.appendChild(bar); row.appendChild(td);
    });
    const features = $('#org-features');
    features.replaceChildren();
    for (const [key, f] of Object.entries(d.entitlements.features)) {
      const li = document.createElement('li');
      li.textContent = `${f.enabled ? '✓' : '✗'} ${key} (${f.reason})`;
      li.className = f.enabled ? 'ok' : 'muted';
      features.appendChild(li);
    }
  }

  async function tailAudit(orgId) {
    if (auditAbort) auditAbort.abort();
    auditAbort = new AbortController();
    const body = $('#audit tbody');
    body.replaceChildren();
    $('#audit-state').textContent = 'connecting…';
    // fetch() rather than EventSource: EventSource cannot send the Authorization header.
    const response = await fetch('/v1/ops/organisations/' + encodeURIComponent(orgId) + '/audit/stream', {
      headers: { Authorization: 'Bearer ' + sessionStorage.getItem(keyName) }, signal: auditAbort.signal,
    });
    $('#audit-state').textContent = 'live';
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (!data) continue;
        const e = JSON.parse(data);
        const row = document.createElement('tr');
        cell(row, e.seq); cell(row, e.at); cell(row, e.action); cell(row, e.actor.kind + ':' + e.actor.id); cell(row, e.target);
        body.prepend(row);
      }
    }
  }

  async function openOrganisation(orgId) {
    selectedOrg = orgId;
    $('#drilldown').hidden = false;
    await loadOrganisation(orgId);
    tailAudit(orgId).catch((error) => { if (error.name !== 'AbortError') $('#audit-state').textContent = error.message; });
  }

  // The session cookie lets the Orleans dashboard (/dashboard), which cannot send our header, see the same caller.
  async function openSession() {
    await fetch('/ops/session', { method: 'POST', headers: { Authorization: 'Bearer ' + sessionStorage.getItem(keyName) } });
  }

  async function start() {
    await openSession();
    $('#signin').hidden = true;
    $('#dashboard').hidden = false;
    $('#signout').hidden = false;
    await refresh();
    setInterval(refresh, 3000);
  }

  $('#signin-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    sessionStorage.setItem(keyName, $('#key').value.trim());
    try {
      await api('/v1/ops/overview');
      await start();
    } catch (error) {
      sessionStorage.removeItem(keyName);
      $('#signin-error').textContent = error.message;
    }
  });
  $('#signout').addEventListener('click', async () => {
    sessionStorage.removeItem(keyName);
    await fetch('/ops/session', { method: 'DELETE' });
    location.reload();
  });
  if (sessionStorage.getItem(keyName)) start();
})();
