// Platform staff: the plan catalog, public and custom plans. platform:plans:write edits one or creates a custom plan
// (PUT /v1/plans/{planId}); everyone else here reads. Policies and Stripe prices are kept as the plan has them.
(() => {
  const { api } = Taskee;
  Taskee.addTexts({
    en: { 'menu.plans': 'Plans', 'plans.title': 'Plans', 'plans.id': 'Plan id', 'plans.name': 'Name', 'plans.custom': 'Custom',
      'plans.features': 'Features (comma separated)', 'plans.featuresColumn': 'Features', 'plans.limits': 'Limits', 'plans.edit': 'Edit',
      'plans.saved': 'Plan {0} saved.', 'plans.version': 'Version' },
    nl: { 'menu.plans': 'Abonnementen', 'plans.title': 'Abonnementen', 'plans.id': 'Abonnement-id', 'plans.name': 'Naam', 'plans.custom': 'Maatwerk',
      'plans.features': 'Functies (met komma’s)', 'plans.featuresColumn': 'Functies', 'plans.limits': 'Limieten', 'plans.edit': 'Bewerken',
      'plans.saved': 'Abonnement {0} opgeslagen.', 'plans.version': 'Versie' },
  });
  const metrics = ['ai_calls', 'storage_bytes', 'seats'];
  let ctx;
  let plans = [];

  function edit(plan) {
    document.getElementById('plan-id').value = plan.id;
    document.getElementById('plan-name').value = plan.name;
    for (const m of metrics) document.getElementById('plan-limit-' + m).value = plan.limits[m];
    document.getElementById('plan-features').value = plan.features.join(', ');
    document.getElementById('plan-name').focus();
  }

  async function load(context) {
    ctx = context;
    plans = (await api.get('/v1/plans')).items;
    api.fill(document.getElementById('plans'), plans, (row, p) => {
      api.cell(row, p.id);
      api.cell(row, p.name);
      api.cell(row, p.custom ? '✓' : '');
      api.cell(row, metrics.map((m) => m + ' ' + p.limits[m] + (p.policies[m] === 'soft' ? ' (soft)' : '')).join(', '));
      api.cell(row, p.features.join(', '));
      api.cell(row, p.version);
      if (!ctx.can('platform:plans:write')) { row.insertCell(); return; }
      api.button(row, Taskee.t('plans.edit'), 'secondary', () => edit(p)).setAttribute('aria-label', Taskee.t('plans.edit') + ' ' + p.id);
    });
  }

  function init() {
    document.getElementById('plan-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const id = document.getElementById('plan-id').value.trim();
      const existing = plans.find((p) => p.id === id);
      const body = {
        name: document.getElementById('plan-name').value.trim(),
        limits: Object.fromEntries(metrics.map((m) => [m, Number(document.getElementById('plan-limit-' + m).value)])),
        features: document.getElementById('plan-features').value.split(',').map((f) => f.trim()).filter((f) => f.length > 0),
        policies: existing ? existing.policies : {},
      };
      try {
        await api.send('PUT', api.path('plans', id), body);
        event.target.reset();
        await load(ctx);
        api.say(Taskee.t('plans.saved', id));
      } catch (error) { api.report(error); }
    });
  }

  Taskee.pages.plans = { permission: 'platform:orgs:list', orgScoped: false, init, load };
})();
