// The console shell: sign-in and sign-out, who is signed in (GET /v1/me), the menu of what that caller may do,
// and the page shown for the address's #fragment. Pages register themselves in Taskee.pages.
(() => {
  const { api } = Taskee;
  const order = ['overview', 'settings', 'members', 'roles', 'sso', 'webhooks', 'keys', 'audit', 'usage', 'sla', 'billing',
    'organisations', 'flags', 'plans', 'leads'];
  // Modules this console offers only when the organisation's plan includes them; otherwise the menu names the plans that do.
  const gated = [['sso', 'SSO'], ['api_access', 'Webhooks'], ['custom_roles', 'Custom roles'], ['audit_export', 'Audit export']];
  let me = null;
  let openedOrg = null;
  let features = {};
  let plans = [];
  const initialised = new Set();

  const ctx = {
    can: (permission) => !!me && me.permissions.includes(permission),
    orgId: () => (me && me.orgId) || openedOrg,
    ownOrg: () => !!(me && me.orgId),
    open: (orgId) => { openedOrg = orgId; buildMenu(); },
    hasFeature: (feature) => !!(features[feature] && features[feature].enabled),
    plansWith: (feature) => plans.filter((p) => !p.custom && p.features.includes(feature)).map((p) => p.id).join(', ') || '–',
    get plans() { return plans; },
  };

  Taskee.pages.overview = {
    permission: null, orgScoped: false, init() {},
    async load() {
      document.getElementById('overview-scope').textContent = me.orgId ? Taskee.t('overview.org', me.orgId) : Taskee.t('overview.platform');
      const list = document.getElementById('overview-permissions');
      list.replaceChildren(...me.permissions.map((p) => { const li = document.createElement('li'); li.textContent = p; return li; }));
    },
  };

  function available(name) {
    const page = Taskee.pages[name];
    return (!page.permission || ctx.can(page.permission)) && (!page.orgScoped || !!ctx.orgId())
      // A plan feature the caller's own organisation lacks: the menu names the plans instead (platform staff see the page, which says so).
      && (!page.feature || !me.orgId || ctx.hasFeature(page.feature))
      && (!page.gate || page.gate(ctx));
  }

  function buildMenu() {
    const items = document.getElementById('menu-items');
    items.replaceChildren();
    for (const name of order.filter(available)) {
      const li = document.createElement('li');
      const link = document.createElement('a');
      link.href = '#' + name;
      link.id = 'menu-' + name;
      link.textContent = Taskee.t('menu.' + name);
      if (current() === name) link.setAttribute('aria-current', 'page');
      li.appendChild(link);
      items.appendChild(li);
    }
    if (me && me.orgId) {
      for (const [feature, label] of gated.filter(([f]) => !ctx.hasFeature(f))) {
        const li = document.createElement('li');
        li.className = 'locked';
        li.textContent = Taskee.t('menu.locked', label, ctx.plansWith(feature));
        items.appendChild(li);
      }
      // Pages gated by something other than one plan feature say themselves what would offer them.
      for (const name of order.filter((n) => Taskee.pages[n].gate && !Taskee.pages[n].gate(ctx) && ctx.can(Taskee.pages[n].permission))) {
        const li = document.createElement('li');
        li.className = 'locked';
        li.textContent = Taskee.pages[name].locked();
        items.appendChild(li);
      }
    }
  }

  const current = () => (location.hash || '#overview').slice(1);

  async function show() {
    const name = order.includes(current()) && available(current()) ? current() : 'overview';
    for (const section of document.querySelectorAll('.page')) section.hidden = section.id !== 'page-' + name;
    for (const write of document.querySelectorAll('.write')) write.hidden = !ctx.can(write.dataset.permission);
    buildMenu();
    const page = Taskee.pages[name];
    if (!initialised.has(name)) { page.init(); initialised.add(name); }
    // data-loaded names the page once its data is shown: what a test (or a script) waits for after navigating.
    document.body.removeAttribute('data-loaded');
    try { await page.load(ctx); } catch (error) { api.report(error); }
    document.body.dataset.loaded = name;
  }

  async function start() {
    Taskee.applyLanguage();
    try {
      // Without the CSRF cookie there is no session to ask about (and no 401 to log).
      if (document.cookie.includes('taskee_csrf=')) {
        // Opens the console session over an SSO sign-in (so its idle timeout applies); a session already open says what it is.
        api.sso.set((await api.send('POST', '/console/session')).data.sso);
        me = await api.get('/v1/me');
      } else me = null;
    } catch (error) {
      if (!(error instanceof api.ApiError) || error.status !== 401) api.report(error);
      me = null;
    }
    document.getElementById('signin').hidden = !!me;
    document.getElementById('menu').hidden = !me;
    document.getElementById('signout').hidden = !me;
    document.getElementById('who').textContent = me ? me.kind + ':' + me.id + (me.orgId ? ' · ' + me.orgId : ' · platform') : '';
    if (!me) {
      for (const section of document.querySelectorAll('.page')) section.hidden = true;
      return;
    }
    plans = ctx.can('plans:read') ? (await api.get('/v1/plans')).items : [];
    features = me.orgId && ctx.can('entitlements:read') ? (await api.get(api.path('organisations', me.orgId, 'entitlements'))).features : {};
    await show();
  }

  document.getElementById('credential-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const credential = document.getElementById('credential').value.trim();
    const response = await fetch('/console/session', { method: 'POST', headers: { Authorization: 'Bearer ' + credential }, credentials: 'same-origin' });
    event.target.reset();
    if (!response.ok) {
      api.report(new Error(Taskee.t('signin.refused')));
      return;
    }
    api.say('');
    await start();
    document.getElementById('main').focus();
  });

  document.getElementById('sso-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const org = encodeURIComponent(document.getElementById('sso-org').value.trim());
    const protocol = event.submitter && event.submitter.value === 'oidc' ? 'oidc' : 'saml';
    location.assign('/' + protocol + '/' + org + '/login?returnTo=' + encodeURIComponent('/console'));
  });

  async function signOut() {
    api.sso.set(false);
    try { await api.send('DELETE', '/console/session'); } catch (error) { api.report(error); }
    me = null;
    openedOrg = null;
  }

  document.getElementById('signout').addEventListener('click', async () => {
    await signOut();
    await start();
  });

  // An SSO session that renewal cannot bring back: sign out (which also revokes its refresh token) and ask for sign-in.
  api.ended = async () => {
    await signOut();
    await start();
    api.say(Taskee.t('signin.ended'));
  };

  document.getElementById('language').addEventListener('click', () => {
    Taskee.switchLanguage();
    if (me) show(); else Taskee.applyLanguage();
  });

  window.addEventListener('hashchange', () => { if (me) show(); });
  start();
})();
