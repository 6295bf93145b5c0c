// A small bar chart in inline SVG, drawn here rather than by a library (no CDN, no build): one bar per day of the billing
// period, a dashed line at the limit, the first and last day under the axis. Days without a value (the future) or with nothing stay empty.
window.Taskee = window.Taskee || {};
(() => {
  const svgNs = 'http://www.w3.org/2000/svg';
  const size = { width: 640, height: 180, left: 64, bottom: 22, top: 10 };

  function element(name, attributes, text) {
    const e = document.createElementNS(svgNs, name);
    for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, String(value));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /**
   * days: [{ label, value|null }]; limit: the line to draw. The SVG is one image with a title: the numbers themselves
   * are in the table next to it, for screen readers and for anyone who wants them exact.
   */
  Taskee.barChart = (title, days, limit, format) => {
    const values = days.map((d) => d.value || 0);
    const top = Math.max(limit, ...values, 1) * 1.1;
    const plotWidth = size.width - size.left;
    const plotHeight = size.height - size.bottom - size.top;
    const y = (v) => size.top + plotHeight - (v / top) * plotHeight;
    const svg = element('svg', { viewBox: `0 0 ${size.width} ${size.height}`, role: 'img', class: 'chart' });
    svg.appendChild(element('title', {}, title));
    svg.appendChild(element('line', { x1: size.left, x2: size.width, y1: y(0), y2: y(0), class: 'chart-axis' }));
    const step = plotWidth / Math.max(days.length, 1);
    days.forEach((d, i) => {
      if (!d.value) return;
      const height = Math.max(y(0) - y(d.value), 1); // a little use stays visible against a large limit
      svg.appendChild(element('rect', { x: size.left + i * step + 1, y: y(0) - height, width: Math.max(step - 2, 1), height,
        class: d.value > limit ? 'chart-bar over' : 'chart-bar' }));
    });
    svg.appendChild(element('line', { x1: size.left, x2: size.width, y1: y(limit), y2: y(limit), class: 'chart-limit' }));
    svg.appendChild(element('text', { x: size.left - 6, y: y(limit) + 4, 'text-anchor': 'end', class: 'chart-label' }, format(limit)));
    svg.appendChild(element('text', { x: size.left - 6, y: y(0), 'text-anchor': 'end', class: 'chart-label' }, '0'));
    if (days.length > 0) {
      svg.appendChild(element('text', { x: size.left, y: size.height - 4, class: 'chart-label' }, days[0].label));
      svg.appendChild(element('text', { x: size.width, y: size.height - 4, 'text-anchor': 'end', class: 'chart-label' }, days[days.length - 1].label));
    }
    return svg;
  };
})();
