// dom.js: element builders. Text always goes in as text nodes and attributes through setAttribute, never as HTML.
var SVG_NS = 'http://www.w3.org/2000/svg';
var ROLE_NAMES = ['system', 'user', 'assistant'];
var PALETTE = ['#2f6fdb', '#e07b1a', '#1a9e6a', '#c2376b', '#7a52c7', '#5b8a1e', '#0f8fa8', '#9b6a2e'];

/** el('div', { class: 'x' }, ['text', child]) — strings become text nodes. */
function el(tag, attrs, children) {
  return fill(document.createElement(tag), attrs, children);
}

function svgEl(tag, attrs, children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(node, attrs, children) {
  if (attrs) {
    for (var name in attrs) {
      var value = attrs[name];
      if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
    }
  }
  if (children !== undefined) {
    var list = Array.isArray(children) ? children : [children];
    for (var i = 0; i < list.length; i++) {
      var child = list[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

/** Min and max by loop (Math.max.apply overflows the stack on long training logs). */
function minOf(values) {
  var out = Infinity;
  for (var i = 0; i < values.length; i++) if (values[i] < out) out = values[i];
  return out;
}

function maxOf(values) {
  var out = -Infinity;
  for (var i = 0; i < values.length; i++) if (values[i] > out) out = values[i];
  return out;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function fmt(value, digits) {
  if (value === null || value === undefined || !isFinite(value)) return '–';
  return Number(value).toFixed(digits);
}

function option(value, label, selected) {
  return el('option', { value: value, selected: selected ? 'selected' : null }, label);
}

/** A labelled <select> from [value, label] pairs; onChange gets the new value. */
function selectBox(label, name, choices, initial, onChange) {
  var select = el('select', { name: name }, choices.map(function (c) { return option(c[0], c[1], c[0] === initial); }));
  select.addEventListener('change', function () { onChange(select.value); });
  return el('label', null, [label, select]);
}

function unique(values) {
  var seen = {};
  var out = [];
  values.forEach(function (v) { if (!Object.prototype.hasOwnProperty.call(seen, v)) { seen[v] = true; out.push(v); } });
  return out;
}

/** Packed [roleCode, stringIndex] messages → { role, content }. */
function unpack(strings, packed) {
  return packed.map(function (m) { return { role: ROLE_NAMES[m[0]] || 'user', content: strings[m[1]] }; });
}

/** "task id — goal", or just one of them when the other is empty or the same. */
function taskTitle(item) {
  if (!item.label || item.label === item.task) return item.task;
  return item.task.length <= 24 ? item.task + ' — ' + item.label : item.task;
}

function rewardPill(label, reward, good) {
  return el('span', { class: 'pill ' + (good ? 'good' : 'bad') }, label + ' ' + fmt(reward, 2));
}

/** One message box; `extra` adds classes (shared, divergent). */
function messageBox(message, extra) {
  if (!message) return el('div', { class: 'msg missing' + (extra === 'divergent' ? ' divergent' : '') }, '(no turn)');
  return el('div', { class: 'msg ' + message.role + (extra ? ' ' + extra : '') }, [
    el('div', { class: 'role' }, message.role === 'user' ? 'observation' : message.role),
    el('pre', null, message.content),
  ]);
}

/** First aligned index where an assistant turn differs (mirrors src/report/divergence.ts). */
function firstDivergentTurn(a, b) {
  var length = Math.max(a.length, b.length);
  for (var i = 0; i < length; i++) {
    var x = a[i], y = b[i];
    var involvesAssistant = (x && x.role === 'assistant') || (y && y.role === 'assistant');
    var same = x && y && x.role === y.role && x.content === y.content;
    if (involvesAssistant && !same) return i;
  }
  return -1;
}

/** Two trajectories side by side, turn i facing turn i; turns before `divergence` dimmed, the divergent row marked. */
function alignedTurns(leftTitle, rightTitle, left, right, divergence) {
  var grid = el('div', { class: 'turns' }, [el('div'), el('div', { class: 'col-head' }, leftTitle), el('div', { class: 'col-head' }, rightTitle)]);
  var length = Math.max(left.length, right.length);
  for (var i = 0; i < length; i++) {
    var mark = i === divergence ? 'divergent' : (divergence === -1 || i < divergence ? 'shared' : '');
    grid.appendChild(el('div', { class: 'turn-no', title: 'turn ' + (i + 1) }, String(i + 1)));
    grid.appendChild(messageBox(left[i], mark));
    grid.appendChild(messageBox(right[i], mark));
  }
  return grid;
}
