// SLA page: the organisation's monthly report (GET .../sla?month=): requests, errors, availability, latency. Offered to an
// organisation whose agreement has an SLA tier (feature sla_business or sla_premium); platform staff see it for any.
(() => {
  const { api } = Taskee;
  const tiers = ['sla_business', 'sla_premium'];
  Taskee.addTexts({
    en: { 'menu.sla': 'SLA report', 'sla.title': 'SLA report', 'sla.month': 'Month', 'sla.show': 'Show', 'sla.requests': 'Requests',
      'sla.errors': 'Errors (5xx)', 'sla.availability': 'Availability', 'sla.meanLatency': 'Mean latency', 'sla.maxLatency': 'Highest latency',
      'sla.locked': 'SLA report: in an agreement with an SLA tier' },
    nl: { 'menu.sla': 'SLA-rapport', 'sla.title': 'SLA-rapport', 'sla.month': 'Maand', 'sla.show': 'Tonen', 'sla.requests': 'Verzoeken',
      'sla.errors': 'Fouten (5xx)', 'sla.availability': 'Beschikbaarheid', 'sla.meanLatency': 'Gemiddelde wachttijd', 'sla.maxLatency': 'Hoogste wachttijd',
      'sla.locked': 'SLA-rapport: in een overeenkomst met een SLA-niveau' },
  });
  let ctx;

  async function show() {
    const month = document.getElementById('sla-month').value;
    const report = await api.get(api.path('organisations', ctx.orgId(), 'sla') + (month ? '?month=' + encodeURIComponent(month) : ''));
    document.getElementById('sla-month').value = report.month;
    const percent = (f) => (f * 100).toFixed(3) + ' %';
    const rows = [['sla.requests', report.requests], ['sla.errors', report.errors], ['sla.availability', percent(report.availability)],
      ['sla.meanLatency', report.meanLatencyMs + ' ms'], ['sla.maxLatency', report.maxLatencyMs + ' ms']];
    api.facts(document.getElementById('sla'), rows);
  }

  function init() {
    document.getElementById('sla-form').addEventListener('submit', (event) => {
      event.preventDefault();
      show().catch(api.report);
    });
  }

  async function load(context) {
    ctx = context;
    await show();
  }

  Taskee.pages.sla = {
    permission: 'org:read', orgScoped: true, init, load,
    // The menu offers it only with an SLA tier; the locked line says where it comes from.
    gate: (c) => !c.ownOrg() || tiers.some((f) => c.hasFeature(f)),
    locked: () => Taskee.t('sla.locked'),
  };
})();
