// Audit log page: the organisation's newest events, filtered by action and actor, with NDJSON/CSV export links
// when the plan includes audit_export (otherwise the plans that do are named).
(() => {
  const { api } = Taskee;
  let ctx;
  let events = [];

  function render() {
    const action = document.getElementById('audit-action').value.trim().toLowerCase();
    const actor = document.getElementById('audit-actor').value.trim().toLowerCase();
    const shown = events.filter((e) => e.action.toLowerCase().includes(action) && (e.actor.kind + ':' + e.actor.id).toLowerCase().includes(actor));
    api.fill(document.getElementById('audit'), shown, (row, e) => {
      api.cell(row, e.at);
      api.cell(row, e.action);
      api.cell(row, e.actor.kind + ':' + e.actor.id);
      api.cell(row, e.target);
    });
  }

  function exportLinks() {
    const holder = document.getElementById('audit-export');
    holder.replaceChildren();
    if (!ctx.can('audit:export')) return;
    if (!ctx.hasFeature('audit_export')) {
      holder.textContent = Taskee.t('audit.exportLocked', ctx.plansWith('audit_export'));
      return;
    }
    holder.append(Taskee.t('audit.export') + ' ');
    for (const format of ['ndjson', 'csv']) {
      const link = document.createElement('a');
      link.href = api.path('organisations', ctx.orgId(), 'audit', 'export') + '?format=' + format;
      link.textContent = format.toUpperCase();
      link.id = 'audit-export-' + format;
      holder.append(link, ' ');
    }
  }

  async function load(context) {
    ctx = context;
    // The API pages oldest first; follow it to the end (bounded) and keep the newest, newest first.
    let all = [];
    let next = null;
    for (let round = 0; round < 50; round++) {
      const page = await api.get(api.path('organisations', ctx.orgId(), 'audit') + '?limit=500' + (next ? '&after=' + encodeURIComponent(next) : ''));
      all = all.concat(page.items).slice(-500);
      next = page.next;
      if (!next) break;
    }
    events = all.reverse();
    render();
    exportLinks();
  }

  function init() {
    document.getElementById('audit-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      render();
    });
  }

  Taskee.pages.audit = { permission: 'audit:read', orgScoped: true, init, load };
})();
