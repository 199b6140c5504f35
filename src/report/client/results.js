// results.js: the results table (stage × split: avg reward ×100, success rate, mean steps; best marked) and paired comparisons.
var METRICS = [
  { key: 'avgReward', label: 'avg reward', digits: 1, best: 'max' },
  { key: 'successRate', label: 'success %', digits: 1, best: 'max' },
  { key: 'avgSteps', label: 'mean steps', digits: 2, best: null },
];

function stageLabel(stage) {
  if (stage === 'sft') return 'SFT';
  if (stage === 'rft') return 'RFT';
  var k = /^eto-(\d+)$/.exec(stage);
  return k ? 'ETO iteration ' + k[1] : stage;
}

function renderResultsTable(data) {
  if (data.results.length === 0) return el('p', { class: 'note' }, 'summary.json is missing or has no results (the run has not finished its evaluation).');
  var byKey = {};
  data.results.forEach(function (r) { byKey[r.stage + '\u0000' + r.split] = r; });
  var best = {};
  data.splits.forEach(function (split) {
    METRICS.forEach(function (m) {
      if (!m.best) return;
      var values = data.results.filter(function (r) { return r.split === split; }).map(function (r) { return r[m.key]; });
      // a tie across every stage marks nothing
      if (values.length > 1 && maxOf(values) > minOf(values)) best[split + '\u0000' + m.key] = maxOf(values);
    });
  });
  var head1 = el('tr', null, [el('th', { rowspan: 2 }, 'stage')].concat(data.splits.map(function (split) {
    return el('th', { class: 'group', colspan: METRICS.length }, split);
  })));
  var head2 = el('tr', null, [].concat.apply([], data.splits.map(function () {
    return METRICS.map(function (m, i) { return el('th', { class: i === 0 ? 'first-of-group' : null }, m.label); });
  })));
  var rows = data.stages.map(function (stage) {
    var cells = [el('td', null, [stageLabel(stage), stage === data.best ? el('span', { class: 'badge', title: 'the ETO iteration chosen on the dev split' }, 'best on dev') : null])];
    data.splits.forEach(function (split) {
      var result = byKey[stage + '\u0000' + split];
      METRICS.forEach(function (m, i) {
        var value = result ? result[m.key] : null;
        var isBest = value !== null && best[split + '\u0000' + m.key] === value;
        cells.push(el('td', {
          class: [i === 0 ? 'first-of-group' : '', isBest ? 'best' : ''].join(' ').trim() || null,
          'data-stage': stage, 'data-split': split, 'data-metric': m.key, 'data-value': value === null ? null : String(value),
          title: result ? result.episodes + ' episodes' : 'not evaluated',
        }, fmt(value, m.digits)));
      });
    });
    return el('tr', { 'data-stage': stage }, cells);
  });
  return el('div', null, [
    el('table', { class: 'data', id: 'results-table' }, [el('thead', null, [head1, head2]), el('tbody', null, rows)]),
    el('p', { class: 'note' }, 'Rewards and success rates are ×100, averaged over each split\u2019s episodes. \u2605 marks the best stage per split for reward and success, unless all stages tie (steps have no better direction).'),
  ]);
}

function renderComparisons(data) {
  if (data.comparisons.length === 0) return null;
  var rows = data.comparisons.map(function (c) {
    var cls = c.ciLow > 0 ? 'ci-pos' : c.ciHigh < 0 ? 'ci-neg' : null;
    return el('tr', null, [
      el('td', null, stageLabel(c.stage) + ' − ' + stageLabel(c.baseline)),
      el('td', null, c.split),
      el('td', { class: cls, 'data-value': String(c.diff) }, (c.diff > 0 ? '+' : '') + fmt(c.diff, 1)),
      el('td', { class: cls }, '[' + fmt(c.ciLow, 1) + ', ' + fmt(c.ciHigh, 1) + ']'),
      el('td', null, String(c.episodes)),
    ]);
  });
  return el('div', null, [
    el('h3', null, 'Paired comparisons (same tasks)'),
    el('table', { class: 'data', id: 'comparisons-table' }, [
      el('thead', null, el('tr', null, ['comparison', 'split', 'Δ avg reward', '95% CI', 'tasks'].map(function (h) { return el('th', null, h); }))),
      el('tbody', null, rows),
    ]),
    el('p', { class: 'note' }, 'Green / red: the bootstrap interval excludes zero.'),
  ]);
}
