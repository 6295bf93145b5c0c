// Platform staff: sales leads of the enterprise intake, newest first, filtered by status, with the KPIs on top. Opening
// one shows its answers; platform:leads:write moves its status and sets owner and notes (If-Match: a 412 is shown).
(() => {
  const { api } = Taskee;
  Taskee.addTexts({
    en: { 'menu.leads': 'Leads', 'leads.title': 'Leads', 'leads.status': 'Status', 'leads.any': 'any', 'leads.more': 'More',
      'leads.created': 'Received', 'leads.organisation': 'Organisation', 'leads.contact': 'Contact', 'leads.owner': 'Owner', 'leads.score': 'Score',
      'leads.notes': 'Notes', 'leads.saved': 'Lead {0} saved.', 'leads.kpis': 'This quarter: {0} leads, {1} qualified (target {2}). Time to contract: {3} of {4} won within {5} days.',
      'leads.users': '{0} users, sector {1}; needs {2}' },
    nl: { 'menu.leads': 'Leads', 'leads.title': 'Leads', 'leads.status': 'Status', 'leads.any': 'alle', 'leads.more': 'Meer',
      'leads.created': 'Ontvangen', 'leads.organisation': 'Organisatie', 'leads.contact': 'Contact', 'leads.owner': 'Eigenaar', 'leads.score': 'Score',
      'leads.notes': 'Notities', 'leads.saved': 'Lead {0} opgeslagen.', 'leads.kpis': 'Dit kwartaal: {0} leads, {1} gekwalificeerd (doel {2}). Tijd tot contract: {3} van {4} gewonnen binnen {5} dagen.',
      'leads.users': '{0} gebruikers, sector {1}; wil {2}' },
  });
  let ctx;
  let leads = [];
  let next = null;
  let opened = null;

  async function kpis() {
    const k = await api.get('/v1/leads/kpis');
    const q = k.leadsThisQuarter;
    const t = k.timeToContract;
    document.getElementById('leads-kpis').textContent = Taskee.t('leads.kpis', q.leads, q.qualified, q.target, t.withinTarget, t.won, t.targetDays);
  }

  function render() {
    api.fill(document.getElementById('leads'), leads, (row, l) => {
      api.cell(row, l.createdAt.slice(0, 10));
      const td = row.insertCell();
      const link = document.createElement('a');
      link.href = '#leads';
      link.textContent = l.organisationName;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        open(l.id).catch(api.report);
      });
      td.appendChild(link);
      api.cell(row, l.contact.email);
      api.cell(row, l.status);
      api.cell(row, l.owner);
      api.cell(row, l.score);
    });
    document.getElementById('leads-more').hidden = !next;
  }

  async function page(reset) {
    const status = document.getElementById('leads-filter-status').value;
    const answer = await api.get('/v1/leads?limit=50' + (status ? '&status=' + status : '') + (!reset && next ? '&before=' + encodeURIComponent(next) : ''));
    leads = reset ? answer.items : leads.concat(answer.items);
    next = answer.next;
    render();
  }

  async function open(id) {
    const { data, etag } = await api.send('GET', api.path('leads', id));
    opened = { id, etag: etag || '"' + data.version + '"', status: data.status };
    document.getElementById('lead-conflict').hidden = true;
    document.getElementById('lead-detail').hidden = false;
    document.getElementById('lead-detail-title').textContent = data.organisationName + ' — ' + data.contact.name + ' <' + data.contact.email + '>';
    const needs = [data.needsSso && 'SSO', data.needsScim && 'SCIM', data.needsSla && 'SLA', ...data.compliance].filter(Boolean).join(', ') || '–';
    document.getElementById('lead-detail-answers').textContent = Taskee.t('leads.users', data.users, data.sector, needs);
    const status = document.getElementById('lead-status');
    status.replaceChildren(...['new', 'contacted', 'proposal', 'won', 'lost'].map((s) => new Option(s, s, false, s === data.status)));
    document.getElementById('lead-owner').value = data.owner || '';
    document.getElementById('lead-notes').value = data.notes || '';
    for (const field of ['lead-status', 'lead-owner', 'lead-notes']) document.getElementById(field).disabled = !ctx.can('platform:leads:write');
    await Taskee.quotes.show(ctx, data);
  }

  async function load(context) {
    ctx = context;
    document.getElementById('lead-detail').hidden = true;
    await kpis();
    await page(true);
  }

  function init() {
    document.getElementById('leads-filter').addEventListener('change', () => page(true).catch(api.report));
    document.getElementById('leads-filter').addEventListener('submit', (event) => event.preventDefault());
    document.getElementById('leads-more').addEventListener('click', () => page(false).catch(api.report));
    document.getElementById('lead-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const status = document.getElementById('lead-status').value;
      const body = { owner: document.getElementById('lead-owner').value.trim(), notes: document.getElementById('lead-notes').value };
      if (status !== opened.status) body.status = status; // a status is only ever moved, never re-sent
      try {
        await api.send('PATCH', api.path('leads', opened.id), body, { 'If-Match': opened.etag });
        await page(true);
        await open(opened.id);
        await kpis();
        api.say(Taskee.t('leads.saved', opened.id));
      } catch (error) {
        if (error instanceof api.ApiError && error.status === 412) document.getElementById('lead-conflict').hidden = false;
        else api.report(error);
      }
    });
    document.getElementById('lead-conflict-reload').addEventListener('click', () => open(opened.id).catch(api.report));
  }

  Taskee.pages.leads = { permission: 'platform:leads:read', orgScoped: false, init, load };
})();
