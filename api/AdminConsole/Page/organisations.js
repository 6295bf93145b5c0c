// Platform staff: organisations (search, filter by plan and status, paging), create one, and for the opened one its
// plan and status (If-Match), limits and feature overrides. Opening one also makes it the organisation of the
// organisation pages (members, keys, audit).
(() => {
  const { api } = Taskee;
  let ctx;
  let loaded = [];
  let next = null;
  let opened = null;

  function render() {
    const text = document.getElementById('org-search').value.trim().toLowerCase();
    const plan = document.getElementById('org-filter-plan').value;
    const status = document.getElementById('org-filter-status').value;
    const shown = loaded.filter((o) => (!text || o.id.includes(text) || o.name.toLowerCase().includes(text))
      && (!plan || o.plan === plan) && (!status || o.status === status));
    api.fill(document.getElementById('orgs'), shown, (row, o) => {
      const td = row.insertCell();
      const link = document.createElement('a');
      link.href = '#organisations';
      link.textContent = o.id;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        open(o.id).catch(api.report);
      });
      td.appendChild(link);
      api.cell(row, o.name);
      api.cell(row, o.plan);
      api.cell(row, o.status);
    });
    document.getElementById('orgs-more').hidden = !next;
  }

  async function page(reset) {
    const answer = await api.get('/v1/organisations?limit=100' + (!reset && next ? '&after=' + encodeURIComponent(next) : ''));
    loaded = reset ? answer.items : loaded.concat(answer.items);
    next = answer.next;
    render();
  }

  async function open(orgId) {
    const { data, etag } = await api.send('GET', api.path('organisations', orgId));
    opened = { id: orgId, etag: etag || '"' + data.version + '"' };
    ctx.open(orgId);
    document.getElementById('org-detail').hidden = false;
    document.getElementById('org-detail-title').textContent = data.id + ' — ' + data.name;
    document.getElementById('org-plan-select').value = data.plan;
    document.getElementById('org-status-select').value = data.status;
    const entitlements = await api.get(api.path('organisations', orgId, 'entitlements'));
    document.getElementById('org-entitlements').textContent = JSON.stringify({ limits: entitlements.limits, features: entitlements.features }, null, 2);
  }

  async function load(context) {
    ctx = context;
    for (const select of document.querySelectorAll('select.plans')) {
      const keep = select.querySelector('option[value=""]');
      select.replaceChildren(...(keep ? [keep] : []), ...ctx.plans.map((p) => new Option(p.id, p.id)));
    }
    await page(true);
  }

  function submit(id, action) {
    document.getElementById(id).addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await action(event.target);
      } catch (error) {
        if (error instanceof api.ApiError && error.status === 412) api.report(new Error(Taskee.t('conflict')));
        else api.report(error);
      }
    });
  }

  function init() {
    submit('org-create', async (form) => {
      const id = document.getElementById('org-new-id').value.trim();
      await api.send('POST', '/v1/organisations', { id, name: document.getElementById('org-new-name').value.trim(),
        plan: document.getElementById('org-new-plan').value, status: null }, { 'Idempotency-Key': crypto.randomUUID() });
      form.reset();
      api.say(Taskee.t('orgs.created', id));
      await page(true);
      await open(id);
    });
    submit('org-limit', async () => {
      const metric = document.getElementById('limit-metric').value;
      const limit = Number(document.getElementById('limit-value').value);
      await api.send('PUT', api.path('organisations', opened.id, 'limits', metric), { limit });
      await open(opened.id);
      api.say(Taskee.t('orgs.limitSet', metric, limit));
    });
    submit('org-feature', async () => {
      const feature = document.getElementById('feature-key').value;
      await api.send('PUT', api.path('organisations', opened.id, 'features', feature),
        { enabled: document.getElementById('feature-enabled').checked, reason: 'console' });
      await open(opened.id);
      api.say(Taskee.t('orgs.featureSet', feature));
    });
    submit('org-plan', async () => {
      await api.send('PATCH', api.path('organisations', opened.id), { plan: document.getElementById('org-plan-select').value,
        status: document.getElementById('org-status-select').value }, { 'If-Match': opened.etag });
      await open(opened.id);
      await page(true);
      api.say(Taskee.t('settings.saved'));
    });
    document.getElementById('org-filter').addEventListener('input', render);
    document.getElementById('org-filter').addEventListener('submit', (event) => event.preventDefault());
    document.getElementById('orgs-more').addEventListener('click', () => page(false).catch(api.report));
  }

  Taskee.pages.organisations = { permission: 'platform:orgs:list', orgScoped: false, init, load };
})();
