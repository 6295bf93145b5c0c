// Usage page: per metric, the billing period's usage against its limit as a bar chart (ai_calls counted up day by day,
// the gauges' daily level), with the same numbers in a table; the current figures come from the grain (GET .../usage).
(() => {
  const { api } = Taskee;
  Taskee.addTexts({
    en: { 'menu.usage': 'Usage', 'usage.title': 'Usage against limits', 'usage.period': 'Billing period {0} to {1}.',
      'usage.metric': 'Metric', 'usage.used': 'Used', 'usage.limit': 'Limit', 'usage.policy': 'Policy', 'usage.day': 'Day',
      'usage.chart': '{0}: {1} of {2} in this billing period', 'usage.table': 'As a table', 'usage.amount': 'Used by the end of the day',
      'usage.level': 'Highest level that day' },
    nl: { 'menu.usage': 'Verbruik', 'usage.title': 'Verbruik tegenover limieten', 'usage.period': 'Factuurperiode {0} tot {1}.',
      'usage.metric': 'Meeteenheid', 'usage.used': 'Verbruikt', 'usage.limit': 'Limiet', 'usage.policy': 'Beleid', 'usage.day': 'Dag',
      'usage.chart': '{0}: {1} van {2} in deze factuurperiode', 'usage.table': 'Als tabel', 'usage.amount': 'Verbruikt aan het eind van de dag',
      'usage.level': 'Hoogste stand die dag' },
  });

  const locale = () => (Taskee.language() === 'en' ? 'en-GB' : 'nl-NL');
  const number = (n) => Number(n).toLocaleString(locale());
  // The axis has room for a few characters: 107 mld. rather than 107.374.182.400 (the table has the exact figure).
  const compact = (n) => Number(n).toLocaleString(locale(), { notation: 'compact', maximumFractionDigits: 1 });
  const dayOf = (iso) => iso.slice(0, 10);

  /** Every day of the period; ai_calls add up from the period's start, gauges are their level; today is the live figure. */
  function periodDays(period, metric, history) {
    const byDay = new Map(history.points.map((p) => [p.day, p.amount]));
    const today = new Date().toISOString().slice(0, 10);
    const days = [];
    let total = 0;
    for (let d = new Date(dayOf(period.periodStart) + 'T00:00:00Z'); d < new Date(period.periodEnd); d.setUTCDate(d.getUTCDate() + 1)) {
      const day = d.toISOString().slice(0, 10);
      const amount = byDay.get(day);
      if (metric.kind === 'periodic') total += amount || 0;
      let value = day > today ? null : metric.kind === 'periodic' ? total : (amount === undefined ? null : amount);
      if (day === today) value = Math.max(value || 0, metric.used);
      days.push({ label: day, value });
    }
    return days;
  }

  function table(name, metric, days) {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = Taskee.t('usage.table') + ' (' + name + ')';
    const t = document.createElement('table');
    t.id = 'usage-table-' + name;
    const caption = t.createCaption();
    caption.textContent = name;
    const head = t.createTHead().insertRow();
    for (const key of ['usage.day', metric.kind === 'periodic' ? 'usage.amount' : 'usage.level']) {
      const th = document.createElement('th');
      th.textContent = Taskee.t(key);
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const d of days.filter((x) => x.value !== null)) {
      const row = body.insertRow();
      api.cell(row, d.label);
      api.cell(row, number(d.value));
    }
    details.append(summary, t);
    return details;
  }

  async function load(ctx) {
    const orgId = ctx.orgId();
    const period = await api.get(api.path('organisations', orgId, 'usage'));
    document.getElementById('usage-period').textContent = Taskee.t('usage.period', dayOf(period.periodStart), dayOf(period.periodEnd));
    const names = Object.keys(period.metrics);
    api.fill(document.getElementById('usage'), names, (row, name) => {
      const m = period.metrics[name];
      api.cell(row, name);
      api.cell(row, number(m.used));
      api.cell(row, number(m.limit));
      api.cell(row, m.policy);
    });
    const charts = document.getElementById('usage-charts');
    charts.replaceChildren();
    const last = new Date(new Date(period.periodEnd).getTime() - 1).toISOString().slice(0, 10);
    for (const name of names) {
      const metric = period.metrics[name];
      const history = await api.get(api.path('organisations', orgId, 'usage', 'history') + '?metric=' + encodeURIComponent(name)
        + '&from=' + dayOf(period.periodStart) + '&to=' + last);
      const days = periodDays(period, metric, history);
      const figure = document.createElement('figure');
      figure.id = 'usage-chart-' + name;
      const caption = document.createElement('figcaption');
      caption.textContent = Taskee.t('usage.chart', name, number(metric.used), number(metric.limit));
      figure.append(caption, Taskee.barChart(caption.textContent, days, metric.limit, compact), table(name, metric, days));
      charts.appendChild(figure);
    }
  }

  Taskee.pages.usage = { permission: 'usage:read', orgScoped: true, init() {}, load };
})();
