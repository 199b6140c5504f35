// charts.js: small hand-drawn SVG charts (lines and grouped bars) with axes, grid and legend. Marks carry class "mark".
var CHART_W = 380, CHART_H = 210, PAD = { left: 44, right: 10, top: 10, bottom: 30 };

/** Round tick values covering [lo, hi]. */
function niceTicks(lo, hi, count) {
  if (!(hi > lo)) { hi = lo + 1; }
  var raw = (hi - lo) / count;
  var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * magnitude; }).find(function (s) { return s >= raw; }) || raw;
  var ticks = [];
  for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

function tickLabel(v) {
  var abs = Math.abs(v);
  return abs !== 0 && (abs < 0.01 || abs >= 1e5) ? v.toExponential(0) : String(Math.round(v * 1000) / 1000);
}

function chartCard(id, title, svg, legendItems, note) {
  var legend = legendItems && legendItems.length > 1
    ? el('div', { class: 'legend' }, legendItems.map(function (item) {
        return el('span', null, [el('i', { style: null, 'data-color': item.color }), item.name]);
      }))
    : null;
  var card = el('figure', { class: 'chart-card', id: id }, [el('figcaption', null, title), svg, legend, note ? el('div', { class: 'note' }, note) : null]);
  // legend swatch colours are set through the CSSOM (no inline style markup, which the page's CSP forbids)
  card.querySelectorAll('.legend i').forEach(function (swatch) { swatch.style.background = swatch.getAttribute('data-color'); });
  return card;
}

function emptyCard(id, title, message) {
  return el('figure', { class: 'chart-card', id: id, 'data-empty': 'true' }, [el('figcaption', null, title), el('div', { class: 'empty-chart' }, message)]);
}

/** Frame (grid, axes, tick labels) for x in [x0, x1], y in [y0, y1]; returns { svg, sx, sy }. */
function chartFrame(x0, x1, y0, y1, xLabel, yLabel, xTicks) {
  var iw = CHART_W - PAD.left - PAD.right, ih = CHART_H - PAD.top - PAD.bottom;
  var sx = function (x) { return PAD.left + (x1 === x0 ? iw / 2 : ((x - x0) / (x1 - x0)) * iw); };
  var sy = function (y) { return PAD.top + ih - (y1 === y0 ? ih / 2 : ((y - y0) / (y1 - y0)) * ih); };
  var svg = svgEl('svg', { class: 'chart', viewBox: '0 0 ' + CHART_W + ' ' + CHART_H, role: 'img' });
  niceTicks(y0, y1, 4).forEach(function (t) {
    if (t < y0 - 1e-12 || t > y1 + 1e-12) return;
    svg.appendChild(svgEl('line', { class: 'grid', x1: PAD.left, x2: CHART_W - PAD.right, y1: sy(t), y2: sy(t) }));
    svg.appendChild(svgEl('text', { x: PAD.left - 4, y: sy(t) + 3, 'text-anchor': 'end' }, tickLabel(t)));
  });
  (xTicks || niceTicks(x0, x1, 5).map(function (t) { return { x: t, label: tickLabel(t) }; })).forEach(function (t) {
    if (t.x < x0 - 1e-12 || t.x > x1 + 1e-12) return;
    svg.appendChild(svgEl('text', { x: sx(t.x), y: CHART_H - PAD.bottom + 13, 'text-anchor': 'middle' }, t.label));
  });
  svg.appendChild(svgEl('line', { class: 'axis', x1: PAD.left, x2: CHART_W - PAD.right, y1: PAD.top + ih, y2: PAD.top + ih }));
  svg.appendChild(svgEl('line', { class: 'axis', x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: PAD.top + ih }));
  svg.appendChild(svgEl('text', { x: PAD.left + iw / 2, y: CHART_H - 3, 'text-anchor': 'middle' }, xLabel));
  svg.appendChild(svgEl('text', { x: 10, y: PAD.top + ih / 2, 'text-anchor': 'middle', transform: 'rotate(-90 10 ' + (PAD.top + ih / 2) + ')' }, yLabel));
  return { svg: svg, sx: sx, sy: sy };
}

/**
 * Line chart. series: [{ name, points: [[x, y]], dashed?, step? }]. options: { xLabel, yLabel, yMin?, yMax?, xTicks? }.
 * Returns a card, or an "no data" card when no series has a point.
 */
function lineChart(id, title, series, options) {
  var points = [];
  series.forEach(function (s) { s.points.forEach(function (p) { if (isFinite(p[1])) points.push(p); }); });
  if (points.length === 0) return emptyCard(id, title, options.empty || 'no data in this run');
  var xs = points.map(function (p) { return p[0]; }), ys = points.map(function (p) { return p[1]; });
  var y0 = options.yMin !== undefined ? Math.min(options.yMin, minOf(ys)) : minOf(ys);
  var y1 = options.yMax !== undefined ? Math.max(options.yMax, maxOf(ys)) : maxOf(ys);
  // a flat series: give it a unit of room, above the floor when the floor is fixed (rewards, shares)
  if (y1 === y0) { if (options.yMin !== undefined && y0 === options.yMin) y1 = y0 + 1; else { y0 -= 0.5; y1 += 0.5; } }
  var frame = chartFrame(minOf(xs), maxOf(xs), y0, y1, options.xLabel, options.yLabel, options.xTicks);
  var legend = [];
  series.forEach(function (s, index) {
    var color = s.color || PALETTE[index % PALETTE.length];
    var valid = s.points.filter(function (p) { return isFinite(p[1]); });
    if (valid.length === 0) return;
    legend.push({ name: s.name, color: color });
    var d = '';
    valid.forEach(function (p, i) {
      var x = frame.sx(p[0]), y = frame.sy(p[1]);
      if (i === 0) d += 'M' + x + ' ' + y;
      else d += (s.step ? 'H' + x + 'V' + y : 'L' + x + ' ' + y);
    });
    if (valid.length > 1) {
      frame.svg.appendChild(svgEl('path', { class: 'mark', d: d, fill: 'none', stroke: color, 'stroke-width': 1.6, 'stroke-dasharray': s.dashed ? '5 4' : null }, svgEl('title', null, s.name)));
    }
    if (valid.length <= 40 || valid.length === 1) {
      valid.forEach(function (p) {
        frame.svg.appendChild(svgEl('circle', { class: 'mark', cx: frame.sx(p[0]), cy: frame.sy(p[1]), r: 2.6, fill: s.dashed ? '#fff' : color, stroke: color },
          svgEl('title', null, s.name + ': ' + tickLabel(p[1]))));
      });
    }
  });
  return chartCard(id, title, frame.svg, legend, options.note);
}

/** Grouped bar chart. groups: [{ label }], series: [{ name, values: [number per group] }]. */
function barChart(id, title, groups, series, options) {
  var any = series.some(function (s) { return s.values.some(function (v) { return v > 0; }); });
  if (!any) return emptyCard(id, title, options.empty || 'no data in this run');
  var y1 = maxOf(series.map(function (s) { return maxOf(s.values); }));
  var frame = chartFrame(-0.5, groups.length - 0.5, 0, y1, options.xLabel, options.yLabel,
    groups.map(function (g, i) { return { x: i, label: g.label }; }));
  var slot = (frame.sx(1) - frame.sx(0)) * 0.8, width = slot / series.length;
  series.forEach(function (s, index) {
    var color = PALETTE[index % PALETTE.length];
    s.values.forEach(function (v, i) {
      if (!(v > 0)) return;
      var x = frame.sx(i) - slot / 2 + index * width;
      frame.svg.appendChild(svgEl('rect', { class: 'mark', x: x, y: frame.sy(v), width: Math.max(width - 1, 1), height: frame.sy(0) - frame.sy(v), fill: color },
        svgEl('title', null, s.name + ', ' + groups[i].label + ': ' + tickLabel(v))));
    });
  });
  return chartCard(id, title, frame.svg, series.map(function (s, i) { return { name: s.name, color: PALETTE[i % PALETTE.length] }; }), options.note);
}
