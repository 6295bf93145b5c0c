// Calls to the public /v1 API as the signed-in person: the HttpOnly session cookie authenticates, and every unsafe
// request repeats the CSRF token (the readable taskee_csrf cookie) in X-CSRF-Token.
window.Taskee = window.Taskee || {};
(() => {
  const csrf = () => {
    const cookie = document.cookie.split('; ').find((c) => c.startsWith('taskee_csrf='));
    return cookie ? decodeURIComponent(cookie.slice('taskee_csrf='.length)) : '';
  };

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
      this.status = status;
      this.problem = problem;
    }
  }

  // A session opened by SSO renews its access token when a request is refused for it: once, then the request is
  // sent again. The tab remembers that its session came from SSO (an API key or pasted token is never renewed).
  const sso = {
    get on() { return sessionStorage.getItem('taskee.sso') === '1'; },
    set(on) { if (on) sessionStorage.setItem('taskee.sso', '1'); else sessionStorage.removeItem('taskee.sso'); },
  };
  let renewing = null;

  function renew() {
    const run = async () => (await fetch('/v1/auth/token', {
      method: 'POST', credentials: 'same-origin', body: 'grant_type=refresh_token',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf() },
    })).ok;
    // A refresh token is used once: requests of this tab share one renewal, and tabs of the browser take turns
    // (each then sends the refresh cookie the one before it left), so none presents a used token.
    renewing = renewing || (navigator.locks ? navigator.locks.request('taskee-renew', run) : run()).finally(() => { renewing = null; });
    return renewing;
  }

  async function send(method, path, body, headers, renewed) {
    const all = Object.assign({ Accept: 'application/json' }, headers || {});
    if (method !== 'GET') all['X-CSRF-Token'] = csrf();
    if (body !== undefined) all['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers: all, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401 && sso.on) {
      // Refused before the request was handled, so sending it again is safe; still refused after a renewal, the
      // session has ended (idle for Console:IdleTimeout, or signed out elsewhere).
      if (!renewed && await renew()) return send(method, path, body, headers, true);
      if (Taskee.api.ended) {
        await Taskee.api.ended();
        throw Object.assign(new ApiError(401, null), { ended: true });
      }
    }
    const type = response.headers.get('Content-Type') || '';
    const data = response.status !== 204 && type.includes('json') ? await response.json() : null;
    if (!response.ok) throw new ApiError(response.status, data);
    return { data, etag: response.headers.get('ETag') };
  }

  /** Every page: a failed call says so in the status line, in the person's language, never silently. */
  function report(error) {
    if (error.ended) return; // the sign-in form already says the session has ended
    const message = document.getElementById('message');
    message.className = 'error';
    message.textContent = error instanceof ApiError && error.status === 403 ? Taskee.t('forbidden') + ' ' + error.message : Taskee.t('failed', error.message);
  }

  function say(text) {
    const message = document.getElementById('message');
    message.className = '';
    message.textContent = text;
  }

  /** Fills a table body from items; an empty list says so. */
  function fill(table, items, render) {
    const body = table.querySelector('tbody');
    body.replaceChildren();
    for (const item of items) {
      const row = document.createElement('tr');
      render(row, item);
      body.appendChild(row);
    }
    if (items.length === 0) {
      const row = body.insertRow();
      const cell = row.insertCell();
      cell.colSpan = table.querySelectorAll('th').length;
      cell.className = 'muted';
      cell.textContent = Taskee.t('none');
    }
  }

  function cell(row, text) {
    const td = row.insertCell();
    td.textContent = text === null || text === undefined ? '–' : String(text);
    return td;
  }

  function button(row, label, className, onClick) {
    const td = row.insertCell();
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    if (className) b.className = className;
    b.addEventListener('click', onClick);
    td.appendChild(b);
    return b;
  }

  /** A row action: its accessible name says which row it acts on ("Remove anna"), for screen readers and tests. */
  function action(cell, label, className, name, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = label;
    b.setAttribute('aria-label', label + ' ' + name);
    b.addEventListener('click', onClick);
    cell.appendChild(b);
    return b;
  }

  const path = (...parts) => '/v1/' + parts.map(encodeURIComponent).join('/');

  Taskee.api = { get: async (p) => (await send('GET', p)).data, send, ApiError, report, say, fill, cell, button, action, path, sso };
  Taskee.pages = Taskee.pages || {};

  /** A table of named figures: each row a header cell (the text of key) and its value. */
  Taskee.api.facts = (table, rows) => fill(table, rows, (row, [key, value]) => {
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = Taskee.t(key);
    row.appendChild(th);
    cell(row, value);
  });
})();
