// main.js: reads the embedded run data and builds the page; marks <body data-ready> when done (tests and the bench wait on it).
function buildPage() {
  var data = JSON.parse(document.getElementById('run-data').textContent);
  var meta = [
    data.env ? 'env ' + data.env : null, data.preset ? 'preset ' + data.preset : null, data.seed !== null ? 'seed ' + data.seed : null,
    data.best ? 'best on dev: ' + data.best : null, data.wallSeconds !== null ? 'wall ' + fmt(data.wallSeconds / 60, 1) + ' min' : null,
    data.pairs.length + ' pairs', data.episodes.length + ' eval episodes',
  ].filter(Boolean);
  var sections = [
    ['results', 'Results', function () { return el('div', null, [renderResultsTable(data), renderComparisons(data)]); }],
    ['charts', 'Charts', function () { return renderCharts(data); }],
    ['pairs', 'Preference pairs', function () { return renderPairBrowser(data); }],
    ['episodes', 'Evaluation episodes', function () { return renderEpisodeBrowser(data); }],
    ['config', 'Config', function () { return el('pre', { class: 'config' }, data.config === null ? '(no config.json)' : JSON.stringify(data.config, null, 2)); }],
  ];
  document.body.appendChild(el('header', null, [
    el('h1', null, 'eto run ' + data.name),
    el('div', { class: 'meta' }, meta.map(function (m) { return el('span', null, m); })),
    el('nav', null, sections.map(function (s) { return el('a', { href: '#' + s[0] }, s[1]); })),
  ]));
  var main = el('main');
  document.body.appendChild(main);
  sections.forEach(function (s) {
    var section = el('section', { id: s[0] }, el('h2', null, s[1]));
    main.appendChild(section);
    try {
      section.appendChild(s[2]());
    } catch (error) {
      section.appendChild(el('div', { class: 'error-box' }, 'This section failed to render: ' + String(error && error.stack || error)));
      document.body.setAttribute('data-render-error', 'true');
    }
  });
  document.body.setAttribute('data-ready', 'true');
}

buildPage();
