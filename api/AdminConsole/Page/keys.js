// API keys page: list, create (the secret is shown once), rotate (the new secret shown once), revoke.
(() => {
  const { api } = Taskee;
  let ctx;

  function showOnce(secret) {
    document.getElementById('key-secret').textContent = secret;
    document.getElementById('key-once').hidden = false;
  }

  async function load(context) {
    ctx = context;
    document.getElementById('key-once').hidden = true;
    const list = await api.get(api.path('organisations', ctx.orgId(), 'api-keys'));
    api.fill(document.getElementById('keys'), list.items, (row, k) => {
      api.cell(row, k.name);
      api.cell(row, k.id);
      api.cell(row, k.scopes.join(', '));
      api.cell(row, k.revokedAt ? Taskee.t('keys.revoked') : Taskee.t('keys.active'));
      const actions = row.insertCell();
      if (!ctx.can('keys:write') || k.revokedAt) return;
      for (const [label, className, act] of [[Taskee.t('keys.rotate'), 'secondary', rotate], [Taskee.t('keys.revoke'), 'danger', revoke]]) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = className;
        b.textContent = label;
        b.setAttribute('aria-label', label + ' ' + k.name);
        b.addEventListener('click', () => act(k));
        actions.appendChild(b);
      }
    });
  }

  async function rotate(key) {
    try {
      const { data } = await api.send('POST', api.path('organisations', ctx.orgId(), 'api-keys', key.id, 'rotate'));
      await load(ctx);
      showOnce(data.key);
      api.say(Taskee.t('keys.rotated', key.name));
    } catch (error) { api.report(error); }
  }

  async function revoke(key) {
    try {
      await api.send('DELETE', api.path('organisations', ctx.orgId(), 'api-keys', key.id));
      api.say(Taskee.t('keys.revokedMessage', key.name));
      await load(ctx);
    } catch (error) { api.report(error); }
  }

  function init() {
    document.getElementById('key-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = document.getElementById('key-name').value.trim();
      try {
        const { data } = await api.send('POST', api.path('organisations', ctx.orgId(), 'api-keys'),
          { name, scopes: [document.getElementById('key-scope').value], expiresAt: null }, { 'Idempotency-Key': crypto.randomUUID() });
        event.target.reset();
        await load(ctx);
        showOnce(data.key);
        api.say(Taskee.t('keys.created', name));
      } catch (error) { api.report(error); }
    });
  }

  Taskee.pages.keys = { permission: 'keys:read', orgScoped: true, init, load };
})();
