// pairs.js: the pair browser. Filter pairs (env, split, outcome, iteration, task text), pick one, and see chosen
// vs rejected turn by turn with the first differing assistant turn highlighted.
var LIST_LIMIT = 200;
var OUTCOME_LABELS = { 'agent-lost': 'agent failed: expert chosen', 'agent-won': 'agent beat the expert', unknown: 'unmatched' };

function renderPairBrowser(data) {
  if (data.pairs.length === 0) return el('p', { class: 'note' }, 'This run has no preference pairs (no iter-<k>/pairs.jsonl yet).');
  var state = { env: '', split: '', outcome: '', iteration: '', query: '', selected: null };
  var searchText = data.pairs.map(function (p) {
    var taskMessage = p.prompt.length ? data.strings[p.prompt[p.prompt.length - 1][1]] : '';
    return (p.task + '\n' + p.label + '\n' + taskMessage).toLowerCase();
  });
  var list = el('ul', { class: 'item-list', id: 'pair-list', role: 'listbox' });
  var count = el('div', { class: 'note', id: 'pair-count' });
  var detail = el('div', { class: 'detail', id: 'pair-detail' }, el('p', { class: 'note' }, 'Pick a pair on the left.'));
  var choicesOf = function (key, label) {
    return [['', 'all']].concat(unique(data.pairs.map(function (p) { return p[key]; })).sort().map(function (v) { return [String(v), label ? label(v) : String(v)]; }));
  };
  var change = function (key) { return function (value) { state[key] = value; refresh(); }; };
  var search = el('input', { type: 'search', name: 'query', placeholder: 'task text…', 'aria-label': 'search task text' });
  search.addEventListener('input', function () { state.query = search.value.trim().toLowerCase(); refresh(); });
  var filters = el('div', { class: 'filters', id: 'pair-filters' }, [
    selectBox('env', 'env', choicesOf('env'), '', change('env')),
    selectBox('split', 'split', choicesOf('split', function (v) { return v || '(unknown)'; }), '', change('split')),
    selectBox('outcome', 'outcome', choicesOf('outcome', function (v) { return OUTCOME_LABELS[v] || v; }), '', change('outcome')),
    selectBox('iteration', 'iteration', choicesOf('iteration'), '', change('iteration')),
    el('label', null, ['search', search]),
  ]);

  function matches(pair, index) {
    return (!state.env || pair.env === state.env) && (!state.split || pair.split === state.split) &&
      (!state.outcome || pair.outcome === state.outcome) && (!state.iteration || String(pair.iteration) === state.iteration) &&
      (!state.query || searchText[index].indexOf(state.query) >= 0);
  }

  function refresh() {
    var shown = 0, total = 0;
    clear(list);
    data.pairs.forEach(function (pair, index) {
      if (!matches(pair, index)) return;
      total += 1;
      if (shown >= LIST_LIMIT) return;
      shown += 1;
      var button = el('button', { type: 'button', 'data-pair': String(index), 'aria-selected': state.selected === index ? 'true' : 'false', title: taskTitle(pair) }, [
        el('span', { class: 'task' }, taskTitle(pair)),
        el('span', { class: 'sub' }, 'iter ' + pair.iteration + ' · ' + fmt(pair.chosenReward, 2) + ' vs ' + fmt(pair.rejectedReward, 2) + ' · ' + (OUTCOME_LABELS[pair.outcome] || pair.outcome)),
      ]);
      button.addEventListener('click', function () { select(index); });
      list.appendChild(el('li', null, button));
    });
    count.textContent = total > shown ? 'showing ' + shown + ' of ' + total + ' matching pairs; narrow the filters to see the rest' : total + ' matching pairs';
  }

  function select(index) {
    state.selected = index;
    list.querySelectorAll('button').forEach(function (b) { b.setAttribute('aria-selected', b.getAttribute('data-pair') === String(index) ? 'true' : 'false'); });
    clear(detail).appendChild(pairDetail(data, data.pairs[index]));
  }

  refresh();
  return el('div', null, [filters, el('div', { class: 'browser' }, [el('div', null, [list, count]), detail])]);
}

function pairDetail(data, pair) {
  var chosen = unpack(data.strings, pair.chosen), rejected = unpack(data.strings, pair.rejected), prompt = unpack(data.strings, pair.prompt);
  var divergence = pair.divergence;
  var where = divergence >= 0 ? 'The trajectories part at turn ' + (divergence + 1) + ' (highlighted); earlier turns are shared.' : 'No assistant turn differs.';
  var sideTitle = function (name, reward, end) { return name + ' · reward ' + fmt(reward, 2) + (end ? ' · ' + end : ''); };
  return el('div', { 'data-pair-id': pair.id }, [
    el('div', { class: 'task-title' }, taskTitle(pair)),
    el('div', null, [
      rewardPill('chosen', pair.chosenReward, true), rewardPill('rejected', pair.rejectedReward, false),
      el('span', { class: 'pill' }, 'iteration ' + pair.iteration), el('span', { class: 'pill' }, pair.kind + ' pair'),
      el('span', { class: 'pill' }, OUTCOME_LABELS[pair.outcome] || pair.outcome), pair.split ? el('span', { class: 'pill' }, 'split ' + pair.split) : null,
    ]),
    el('p', { class: 'note' }, where),
    el('details', { class: 'prompt' }, [el('summary', null, 'prompt (' + prompt.length + ' messages: instruction, task)'), el('div', null, prompt.map(function (m) { return messageBox(m, ''); }))]),
    alignedTurns(sideTitle('chosen', pair.chosenReward, pair.chosenEnd), sideTitle('rejected', pair.rejectedReward, pair.rejectedEnd), chosen, rejected, divergence),
  ]);
}
