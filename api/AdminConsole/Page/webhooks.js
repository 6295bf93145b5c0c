// Webhooks page (feature api_access): endpoints (create with the signing secret shown once, edit URL, events and
// enabled with If-Match, rotate the secret, send a test, delete) and one endpoint's deliveries with redelivery.
(() => {
  const { api } = Taskee;
  let ctx;
  let endpoints = [];
  let opened = null;

  const base = (...parts) => api.path('organisations', ctx.orgId(), 'webhooks', ...parts);

  function showOnce(secret) {
    document.getElementById('webhook-secret').textContent = secret;
    document.getElementById('webhook-once').hidden = false;
  }

  function clearForm() {
    document.getElementById('webhook-form').reset();
    document.getElementById('webhook-id').value = '';
  }

  async function load(context) {
    ctx = context;
    document.getElementById('webhook-once').hidden = true;
    document.getElementById('webhooks-conflict').hidden = true;
    const licensed = await Taskee.featureGate(ctx, 'api_access', 'Webhooks', document.getElementById('webhooks-locked'));
    const form = document.getElementById('webhook-form');
    form.hidden = !licensed || !ctx.can('webhooks:write');
    document.getElementById('webhooks').hidden = !licensed;
    if (!licensed) { document.getElementById('webhook-deliveries').hidden = true; return; }
    endpoints = (await api.get(base())).items;
    api.fill(document.getElementById('webhooks'), endpoints, (row, w) => {
      api.cell(row, w.url);
      api.cell(row, w.events.join(', '));
      api.cell(row, w.enabled ? Taskee.t('keys.active') : Taskee.t('webhooks.disabled') + (w.disabledReason ? ' (' + w.disabledReason + ')' : ''));
      const actions = row.insertCell();
      api.action(actions, Taskee.t('webhooks.deliveries'), 'secondary', w.url, () => openDeliveries(w).catch(api.report));
      if (form.hidden) return;
      api.action(actions, Taskee.t('flags.edit'), 'secondary', w.url, () => edit(w));
      api.action(actions, Taskee.t('webhooks.test'), 'secondary', w.url, act(async () => {
        const { data } = await api.send('POST', base(w.id, 'test'));
        api.say(Taskee.t('webhooks.tested', data.outcome));
        await openDeliveries(w);
      }));
      api.action(actions, Taskee.t('keys.rotate'), 'secondary', w.url, act(async () => {
        const { data } = await api.send('POST', base(w.id, 'rotate-secret'));
        await load(ctx);
        showOnce(data.secret);
        api.say(Taskee.t('webhooks.rotated', w.url));
      }));
      api.action(actions, Taskee.t('roles.delete'), 'danger', w.url, act(async () => {
        await api.send('DELETE', base(w.id));
        if (opened && opened.id === w.id) document.getElementById('webhook-deliveries').hidden = true;
        await load(ctx);
        api.say(Taskee.t('webhooks.deleted', w.url));
      }));
    });
    if (opened && endpoints.some((w) => w.id === opened.id)) await openDeliveries(opened);
  }

  const act = (action) => async () => {
    try { await action(); } catch (error) { api.report(error); }
  };

  function edit(endpoint) {
    document.getElementById('webhook-id').value = endpoint.id;
    document.getElementById('webhook-url').value = endpoint.url;
    document.getElementById('webhook-events').value = endpoint.events.join(', ');
    document.getElementById('webhook-enabled').checked = endpoint.enabled;
    document.getElementById('webhook-url').focus();
  }

  async function openDeliveries(endpoint) {
    opened = endpoint;
    const page = await api.get(base(endpoint.id, 'deliveries'));
    document.getElementById('webhook-deliveries').hidden = false;
    document.getElementById('deliveries-title').textContent = Taskee.t('webhooks.deliveriesOf', endpoint.url);
    api.fill(document.getElementById('deliveries'), page.items, (row, d) => {
      api.cell(row, new Date(d.at).toLocaleString(Taskee.language()));
      api.cell(row, d.eventType);
      api.cell(row, d.trigger);
      api.cell(row, d.outcome);
      api.cell(row, d.statusCode);
      const actions = row.insertCell();
      // A test message is not redelivered (the API says to send a new test).
      if (!ctx.can('webhooks:write') || d.eventSeq === null) return;
      api.action(actions, Taskee.t('webhooks.redeliver'), 'secondary', d.eventType + ' ' + d.id, act(async () => {
        const { data } = await api.send('POST', base(endpoint.id, 'deliveries', d.id, 'redeliver'));
        api.say(Taskee.t('webhooks.tested', data.outcome));
        await openDeliveries(endpoint);
      }));
    });
  }

  async function save() {
    const id = document.getElementById('webhook-id').value;
    const body = {
      url: document.getElementById('webhook-url').value.trim(),
      events: document.getElementById('webhook-events').value.split(',').map((e) => e.trim()).filter((e) => e),
      enabled: document.getElementById('webhook-enabled').checked,
    };
    if (!id) {
      const { data } = await api.send('POST', base(), body, { 'Idempotency-Key': crypto.randomUUID() });
      clearForm();
      await load(ctx);
      showOnce(data.secret);
      api.say(Taskee.t('webhooks.created', data.url));
      return;
    }
    const current = endpoints.find((w) => w.id === id);
    try {
      await api.send('PATCH', base(id), body, { 'If-Match': '"' + current.version + '"' });
    } catch (error) {
      if (error instanceof api.ApiError && error.status === 412) { document.getElementById('webhooks-conflict').hidden = false; return; }
      throw error;
    }
    clearForm();
    await load(ctx);
    api.say(Taskee.t('webhooks.saved', body.url));
  }

  function init() {
    document.getElementById('webhook-form').addEventListener('submit', (event) => { event.preventDefault(); act(save)(); });
    document.getElementById('webhook-new').addEventListener('click', clearForm);
    document.getElementById('webhooks-conflict-reload').addEventListener('click', () => { clearForm(); load(ctx).catch(api.report); });
    document.getElementById('deliveries-reload').addEventListener('click', () => opened && openDeliveries(opened).catch(api.report));
  }

  Taskee.pages.webhooks = { permission: 'webhooks:read', orgScoped: true, feature: 'api_access', init, load };
})();
