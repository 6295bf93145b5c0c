// Platform staff: global flags with roll-out percentage and kill switch. Saving asks for confirmation first, naming
// how many organisations the change reaches, counted through the API (all organisations, narrowed to the flag's plans).
(() => {
  const { api } = Taskee;
  let ctx;
  let flags = [];
  let pending = null;

  async function organisationCount(plans) {
    let count = 0;
    let total = 0;
    let after = null;
    do {
      const page = await api.get('/v1/organisations?limit=100' + (after ? '&after=' + encodeURIComponent(after) : ''));
      total += page.items.length;
      count += page.items.filter((o) => plans.length === 0 || plans.includes(o.plan)).length;
      after = page.next;
    } while (after);
    return { count, total };
  }

  async function load(context) {
    ctx = context;
    document.getElementById('flag-confirm').hidden = true;
    flags = (await api.get('/v1/flags')).items;
    api.fill(document.getElementById('flags'), flags, (row, f) => {
      api.cell(row, f.key);
      api.cell(row, f.enabled ? '✓' : '✗');
      api.cell(row, f.rolloutPercent);
      if (!ctx.can('platform:flags:write')) { row.insertCell(); return; }
      const b = api.button(row, Taskee.t('flags.edit'), 'secondary', () => {
        document.getElementById('flag-key').value = f.key;
        document.getElementById('flag-rollout').value = f.rolloutPercent;
        document.getElementById('flag-enabled').checked = f.enabled;
        document.getElementById('flag-key').focus();
      });
      b.setAttribute('aria-label', Taskee.t('flags.edit') + ' ' + f.key);
    });
  }

  async function confirmed() {
    const { key, body } = pending;
    pending = null;
    document.getElementById('flag-confirm').hidden = true;
    try {
      await api.send('PUT', api.path('flags', key), body);
      await load(ctx);
      api.say(Taskee.t('flags.saved', key));
      document.getElementById('flag-key').focus();
    } catch (error) { api.report(error); }
  }

  function init() {
    document.getElementById('flag-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const key = document.getElementById('flag-key').value.trim();
      const existing = flags.find((f) => f.key === key);
      const body = {
        enabled: document.getElementById('flag-enabled').checked,
        rolloutPercent: Number(document.getElementById('flag-rollout').value),
        plans: existing ? existing.plans : [], allow: existing ? existing.allow : [], deny: existing ? existing.deny : [],
      };
      try {
        const { count, total } = await organisationCount(body.plans);
        // The kill switch reaches every organisation that had the flag; otherwise the roll-out share of the eligible ones.
        const share = body.enabled ? body.rolloutPercent / 100 : (existing ? existing.rolloutPercent / 100 : 0);
        pending = { key, body };
        document.getElementById('flag-confirm-text').textContent = Taskee.t('flags.confirm', Math.round(count * share), total);
        document.getElementById('flag-confirm').hidden = false;
        document.getElementById('flag-confirm-yes').focus();
      } catch (error) { api.report(error); }
    });
    document.getElementById('flag-confirm-yes').addEventListener('click', confirmed);
    document.getElementById('flag-confirm-no').addEventListener('click', () => {
      pending = null;
      document.getElementById('flag-confirm').hidden = true;
      document.getElementById('flag-submit').focus();
    });
  }

  Taskee.pages.flags = { permission: 'platform:flags:read', orgScoped: false, init, load };
})();
