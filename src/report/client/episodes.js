// episodes.js: the evaluation episode browser: per task of a split, one stage's episode beside another's
// (SFT vs the best ETO iteration by default), turn-aligned like the pair browser.
var PROMPT_MESSAGES = 3;

function renderEpisodeBrowser(data) {
  if (data.episodes.length === 0) return el('p', { class: 'note' }, 'This run has no evaluation episodes (no eval/<stage>-<split>.jsonl yet).');
  var stages = data.stages.filter(function (s) { return data.episodes.some(function (e) { return e.stage === s; }); });
  var splits = unique(data.episodes.map(function (e) { return e.split; }));
  var etoStages = stages.filter(function (s) { return /^eto-/.test(s); });
  var right = stages.indexOf(data.best) >= 0 ? data.best : (etoStages[etoStages.length - 1] || stages[stages.length - 1]);
  var nonDev = splits.filter(function (s) { return s !== 'dev'; });
  var state = { split: splits.indexOf('test') >= 0 ? 'test' : (nonDev[0] || splits[0]), left: stages.indexOf('sft') >= 0 ? 'sft' : stages[0], right: right, show: '', query: '', task: null };
  var index = {};
  data.episodes.forEach(function (e) { index[e.stage + '\u0000' + e.split + '\u0000' + e.task] = e; });
  var lookup = function (stage, task) { return index[stage + '\u0000' + state.split + '\u0000' + task]; };
  var labelOf = function (task) { var e = lookup(state.left, task) || lookup(state.right, task); return e ? taskTitle(e) : task; };
  var list = el('ul', { class: 'item-list', id: 'episode-list' });
  var count = el('div', { class: 'note' });
  var detail = el('div', { class: 'detail', id: 'episode-detail' }, el('p', { class: 'note' }, 'Pick a task on the left.'));
  var stageChoices = stages.map(function (s) { return [s, stageLabel(s)]; });
  var set = function (key) { return function (value) { state[key] = value; refresh(); }; };
  var search = el('input', { type: 'search', placeholder: 'task text…', 'aria-label': 'search episode task text' });
  search.addEventListener('input', function () { state.query = search.value.trim().toLowerCase(); refresh(); });
  var filters = el('div', { class: 'filters', id: 'episode-filters' }, [
    selectBox('split', 'split', splits.map(function (s) { return [s, s]; }), state.split, set('split')),
    selectBox('left', 'left', stageChoices, state.left, set('left')),
    selectBox('right', 'right', stageChoices, state.right, set('right')),
    selectBox('show', 'show', [['', 'all tasks'], ['right-better', 'right better'], ['left-better', 'left better'], ['same', 'same reward']], '', set('show')),
    el('label', null, ['search', search]),
  ]);

  function refresh() {
    clear(list);
    var tasks = unique(data.episodes.filter(function (e) { return e.split === state.split && (e.stage === state.left || e.stage === state.right); }).map(function (e) { return e.task; }));
    var shown = 0, total = 0;
    tasks.forEach(function (task) {
      var a = lookup(state.left, task), b = lookup(state.right, task);
      var ra = a ? a.reward : 0, rb = b ? b.reward : 0;
      var verdict = rb > ra ? 'right-better' : ra > rb ? 'left-better' : 'same';
      if (state.show && state.show !== verdict) return;
      if (state.query && labelOf(task).toLowerCase().indexOf(state.query) < 0) return;
      total += 1;
      if (shown >= LIST_LIMIT) return;
      shown += 1;
      var button = el('button', { type: 'button', 'aria-selected': state.task === task ? 'true' : 'false', 'data-task': task, title: labelOf(task) }, [
        el('span', { class: 'task' }, labelOf(task)),
        el('span', { class: 'sub' }, stageLabel(state.left) + ' ' + (a ? fmt(a.reward, 2) : '–') + ' · ' + stageLabel(state.right) + ' ' + (b ? fmt(b.reward, 2) : '–')),
      ]);
      button.addEventListener('click', function () { state.task = task; showTask(task); refreshSelection(); });
      list.appendChild(el('li', null, button));
    });
    count.textContent = total > shown ? 'showing ' + shown + ' of ' + total + ' tasks' : total + ' tasks';
    if (state.task !== null) showTask(state.task);
  }

  function refreshSelection() {
    list.querySelectorAll('button').forEach(function (b) { b.setAttribute('aria-selected', b.getAttribute('data-task') === state.task ? 'true' : 'false'); });
  }

  function showTask(task) {
    var a = lookup(state.left, task), b = lookup(state.right, task);
    var turns = function (e) {
      if (!e) return [];
      var messages = unpack(data.strings, e.messages).slice(PROMPT_MESSAGES);
      if (e.finalObservation >= 0) messages.push({ role: 'user', content: data.strings[e.finalObservation] });
      return messages;
    };
    var title = function (stage, e) { return stageLabel(stage) + (e ? ' · reward ' + fmt(e.reward, 2) + ' · ' + e.steps + ' steps · ' + e.endReason : ' · not evaluated'); };
    var left = turns(a), rightTurns = turns(b);
    var prompt = unpack(data.strings, (a || b).messages.slice(0, PROMPT_MESSAGES));
    clear(detail).appendChild(el('div', null, [
      el('div', { class: 'task-title' }, labelOf(task)),
      el('div', null, [a ? rewardPill(stageLabel(state.left), a.reward, a.success) : null, b ? rewardPill(stageLabel(state.right), b.reward, b.success) : null]),
      el('details', { class: 'prompt' }, [el('summary', null, 'prompt (instruction, task)'), el('div', null, prompt.map(function (m) { return messageBox(m, ''); }))]),
      alignedTurns(title(state.left, a), title(state.right, b), left, rightTurns, firstDivergentTurn(left, rightTurns)),
    ]));
  }

  refresh();
  return el('div', null, [filters, el('div', { class: 'browser' }, [el('div', null, [list, count]), detail])]);
}
