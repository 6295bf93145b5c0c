// Quotes of the opened lead (on the Leads page): the list (GET /v1/quotes?leadId=), a new one priced from the current
// price book (POST /v1/quotes), each with its documents (order form, SLA schedule, DPA) and, while open, won or lost
// (PATCH /v1/quotes/{quoteId} with If-Match; a won quote provisions its organisation).
(() => {
  const { api } = Taskee;
  Taskee.addTexts({
    en: { 'quotes.title': 'Quotes', 'quotes.number': 'Quote', 'quotes.total': 'Total (incl. VAT)', 'quotes.status': 'Status',
      'quotes.validUntil': 'Valid until', 'quotes.documents': 'Documents', 'quotes.create': 'Create quote', 'quotes.created': 'Quote {0} created.',
      'quotes.plan': 'Plan', 'quotes.seats': 'Seats', 'quotes.aiCalls': 'AI calls / month', 'quotes.storageGb': 'Storage (GB)',
      'quotes.slaTier': 'SLA tier', 'quotes.termYears': 'Term (years)', 'quotes.won': 'Won', 'quotes.lost': 'Lost', 'quotes.decided': 'Quote {0} is {1}.',
      'quotes.addOn': 'Add-on {0}' },
    nl: { 'quotes.title': 'Offertes', 'quotes.number': 'Offerte', 'quotes.total': 'Totaal (incl. btw)', 'quotes.status': 'Status',
      'quotes.validUntil': 'Geldig tot', 'quotes.documents': 'Documenten', 'quotes.create': 'Offerte maken', 'quotes.created': 'Offerte {0} gemaakt.',
      'quotes.plan': 'Abonnement', 'quotes.seats': 'Gebruikers', 'quotes.aiCalls': 'AI-aanroepen / maand', 'quotes.storageGb': 'Opslag (GB)',
      'quotes.slaTier': 'SLA-niveau', 'quotes.termYears': 'Looptijd (jaar)', 'quotes.won': 'Gewonnen', 'quotes.lost': 'Verloren', 'quotes.decided': 'Offerte {0} is {1}.',
      'quotes.addOn': 'Uitbreiding {0}' },
  });
  let ctx;
  let lead = null;
  let book = null;

  const money = (cents, currency) => (cents / 100).toLocaleString(Taskee.language() === 'en' ? 'en-GB' : 'nl-NL', { style: 'currency', currency });

  /** The form's choices come from the price book, so the console never offers what the API would refuse. */
  async function fillForm() {
    if (book) return;
    book = (await api.get('/v1/price-book')).book;
    const options = (id, values) => document.getElementById(id).replaceChildren(...values.map((v) => new Option(v, v)));
    options('quote-plan', Object.keys(book.plans));
    options('quote-sla', Object.keys(book.slaTierMonthlyCents));
    options('quote-term', Object.keys(book.termDiscountPercent));
    const addOns = document.getElementById('quote-addons');
    addOns.replaceChildren();
    for (const name of Object.keys(book.addOnSeatPriceCents)) {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = 'quote-addon-' + name;
      box.value = name;
      const label = document.createElement('label');
      label.htmlFor = box.id;
      label.textContent = Taskee.t('quotes.addOn', name);
      addOns.append(box, label);
    }
  }

  async function list() {
    const quotes = (await api.get('/v1/quotes?limit=200&leadId=' + encodeURIComponent(lead.id))).items;
    api.fill(document.getElementById('quotes'), quotes, (row, q) => {
      api.cell(row, q.number + ' v' + q.version);
      api.cell(row, money(q.totalCents, q.currency));
      api.cell(row, q.status + (q.organisationId ? ' → ' + q.organisationId : ''));
      api.cell(row, q.validUntil.slice(0, 10));
      const docs = row.insertCell();
      for (const name of ['order-form', 'sla', 'dpa']) {
        const link = document.createElement('a');
        link.href = api.path('quotes', q.id, 'documents', name) + '?format=html&lang=' + Taskee.language();
        link.target = '_blank';
        link.rel = 'noopener';
        link.textContent = name;
        docs.append(link, ' ');
      }
      const actions = row.insertCell();
      if (q.status !== 'open' || !ctx.can('platform:leads:write')) return;
      for (const status of ['won', 'lost']) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = status === 'lost' ? 'danger' : 'secondary';
        b.textContent = Taskee.t('quotes.' + status);
        b.setAttribute('aria-label', Taskee.t('quotes.' + status) + ' ' + q.number + ' v' + q.version);
        b.addEventListener('click', () => decide(q, status));
        actions.appendChild(b);
      }
    });
  }

  async function decide(quote, status) {
    try {
      const { etag } = await api.send('GET', api.path('quotes', quote.id));
      await api.send('PATCH', api.path('quotes', quote.id), { status }, { 'If-Match': etag });
      await list();
      api.say(Taskee.t('quotes.decided', quote.number + ' v' + quote.version, Taskee.t('quotes.' + status)));
    } catch (error) {
      if (error instanceof api.ApiError && error.status === 412) api.report(new Error(Taskee.t('conflict')));
      else api.report(error);
    }
  }

  function init() {
    document.getElementById('quote-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = (id) => document.getElementById(id).value;
      const body = {
        leadId: lead.id, plan: value('quote-plan'), seats: Number(value('quote-seats')), aiCalls: Number(value('quote-ai')),
        storageGb: Number(value('quote-storage')), slaTier: value('quote-sla'), termYears: Number(value('quote-term')),
        addOns: [...document.querySelectorAll('#quote-addons input:checked')].map((b) => b.value),
      };
      try {
        const { data } = await api.send('POST', '/v1/quotes', body, { 'Idempotency-Key': crypto.randomUUID() });
        await list();
        api.say(Taskee.t('quotes.created', data.number + ' v' + data.version));
      } catch (error) { api.report(error); }
    });
  }

  let initialised = false;
  /** Called by the Leads page when it opens a lead. */
  Taskee.quotes = {
    async show(context, opened) {
      ctx = context;
      lead = opened;
      if (!initialised) { init(); initialised = true; }
      document.getElementById('quote-form').hidden = !ctx.can('platform:leads:write');
      if (ctx.can('platform:leads:write')) await fillForm();
      await list();
    },
  };
})();
