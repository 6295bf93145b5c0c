// Billing of the organisation: its Stripe customer and what billing made of Stripe's events (status, subscription,
// invoices, disputes), with a link to the customer in Stripe's dashboard. platform:billing:write links a customer.
(() => {
  const { api } = Taskee;
  Taskee.addTexts({
    en: { 'menu.billing': 'Billing', 'billing.title': 'Billing', 'billing.customer': 'Stripe customer', 'billing.link': 'Link',
      'billing.linked': 'Linked to {0}.', 'billing.dashboard': 'Open in Stripe', 'billing.none': 'Not linked to Stripe.',
      'billing.status': 'Status', 'billing.plan': 'Plan', 'billing.subscription': 'Subscription', 'billing.delinquent': 'Payment overdue',
      'billing.graceEnds': 'Grace ends', 'billing.invoices': 'Invoices (open)', 'billing.disputes': 'Disputes', 'billing.restricted': 'Restricted features' },
    nl: { 'menu.billing': 'Facturering', 'billing.title': 'Facturering', 'billing.customer': 'Stripe-klant', 'billing.link': 'Koppelen',
      'billing.linked': 'Gekoppeld aan {0}.', 'billing.dashboard': 'Openen in Stripe', 'billing.none': 'Niet aan Stripe gekoppeld.',
      'billing.status': 'Status', 'billing.plan': 'Abonnement', 'billing.subscription': 'Abonnement bij Stripe', 'billing.delinquent': 'Betaling achterstallig',
      'billing.graceEnds': 'Respijt tot', 'billing.invoices': 'Facturen (open)', 'billing.disputes': 'Geschillen', 'billing.restricted': 'Beperkte functies' },
  });
  let ctx;

  async function load(context) {
    ctx = context;
    const b = await api.get(api.path('organisations', ctx.orgId(), 'billing'));
    const customer = document.getElementById('billing-customer');
    customer.replaceChildren();
    if (b.stripeCustomerId) {
      const link = document.createElement('a');
      link.id = 'billing-dashboard';
      link.href = 'https://dashboard.stripe.com/customers/' + encodeURIComponent(b.stripeCustomerId);
      link.rel = 'noreferrer noopener';
      link.target = '_blank';
      link.textContent = Taskee.t('billing.dashboard') + ': ' + b.stripeCustomerId;
      customer.appendChild(link);
    } else customer.textContent = Taskee.t('billing.none');
    const s = b.subscription;
    const rows = [['billing.plan', b.plan], ['billing.status', b.status],
      ['billing.subscription', s ? s.id + ' · ' + s.status + (s.currentPeriodEnd ? ' · → ' + s.currentPeriodEnd.slice(0, 10) : '') : null],
      ['billing.delinquent', b.delinquent === null ? null : (b.delinquent ? '✓' : '✗')], ['billing.graceEnds', b.graceEndsAt],
      ['billing.invoices', b.invoices.filter((i) => !i.settled).length + ' / ' + b.invoices.length],
      ['billing.disputes', b.disputes.map((d) => d.id + ' ' + d.status).join(', ') || null],
      ['billing.restricted', b.restrictedFeatures.join(', ') || null]];
    api.facts(document.getElementById('billing'), rows);
  }

  function init() {
    document.getElementById('billing-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const id = document.getElementById('billing-customer-id').value.trim();
      try {
        await api.send('PUT', api.path('organisations', ctx.orgId(), 'billing'), { stripeCustomerId: id });
        event.target.reset();
        await load(ctx);
        api.say(Taskee.t('billing.linked', id));
      } catch (error) { api.report(error); }
    });
  }

  Taskee.pages.billing = { permission: 'billing:read', orgScoped: true, init, load };
})();
