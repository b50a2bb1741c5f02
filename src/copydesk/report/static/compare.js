// The side-by-side view: a version (right) against its parent (left). Text both share, as aligned
// passages, is highlighted; inside a passage, substituted words are marked on both sides; text
// only in the parent is cut, text only in the child is added. Offsets are code points.

// Layers of a character, lowest first: a higher layer wins where marks overlap.
const GAP = 0;
const REUSED = 1;
const EDIT_SUB = 2;
const EDIT_ONLY = 3;
const META = 4; // headline, dateline or credit outside the body, in no passage: not news copy

function renderCompare(panel, model, cluster, parentId, childId) {
  const parent = model.article(parentId);
  const child = model.article(childId);
  const edge = cluster.edgeOf.get(childId);
  const pair = model.pairs.get(pairKey(parentId, childId));
  const group = model.passages.get(pairKey(parentId, childId));

  append(panel, el('div', { class: 'compare-head' }, [
    el('h3', {}, 'Side by side: this version against its parent'),
    el('span', { class: 'muted' }, pairFigures(pair, parentId)),
  ]));
  if (edge && edge.changes) append(panel, renderChanges(edge.changes));
  else if (!edge) append(panel, el('p', { class: 'muted' }, 'No lineage edge reaches this version: it is compared with the root of the cluster.'));

  const parentText = textOf(model, parentId);
  const childText = textOf(model, childId);
  if (parentText === null || childText === null) {
    append(panel, el('p', { class: 'notice' },
      'The texts of these versions are not in texts.jsonl, so they cannot be shown side by side. Run copydesk run again to write it.'));
    return;
  }
  const passages = group ? orient(group, parentId) : [];
  if (!group) {
    append(panel, el('p', { class: 'notice' }, fileUsable(model, 'passages.jsonl')
      ? 'passages.jsonl holds no passage for this pair: nothing is highlighted.'
      : 'passages.jsonl is not in this directory: nothing is highlighted.'));
  }
  const left = sideLayers(parentText, passages, 'parent', parent);
  const right = sideLayers(childText, passages, 'child', child);
  append(panel, legend(left.counts, right.counts, passages.length));
  const sides = el('div', { class: 'side-by-side', id: 'side-by-side' }, [
    sideHead('Parent', parent), sideHead('This version', child),
    alignedRows(left, right, passages),
  ]);
  // Clicking a reused passage on one side brings the same passage into view on the other.
  sides.addEventListener('click', (event) => {
    const mark = event.target.closest ? event.target.closest('mark[data-p]') : null;
    if (!mark) return;
    const other = mark.closest('.side-parent') ? '.side-child' : '.side-parent';
    const twin = sides.querySelector(other + ' mark[data-p="' + mark.getAttribute('data-p') + '"]');
    if (twin) {
      twin.scrollIntoView({ block: 'center', behavior: 'smooth' });
      twin.classList.add('flash');
      setTimeout(() => twin.classList.remove('flash'), 900);
    }
  });
  append(panel, sides);
}

/**
 * The two texts as rows of a two-column grid: each aligned passage on one row (parent left, this
 * version right), in the order of this version, so reused text sits side by side. Text outside
 * every passage comes on a row of its own just before the passage that follows it on its side.
 */
function alignedRows(left, right, passages) {
  // Each passage is shown with the punctuation around it (an opening quote, the closing full stop)
  // that no passage holds, so that such marks do not stand alone on rows of their own.
  passages = passages.map((p) => Object.assign({}, p, { parent: widen(left, p.parent), child: widen(right, p.child) }));
  const byChild = passages.slice().sort((x, y) => x.child[0] - y.child[0] || x.child[1] - y.child[1]);
  const parentGaps = gaps(left.length, passages.map((p) => p.parent), left);
  const childGaps = gaps(right.length, passages.map((p) => p.child), right);
  // Each parent gap goes before the first passage (in this version's order) that starts after it in the parent.
  const parentGapsBefore = new Map();
  for (const gap of parentGaps) {
    const next = byChild.find((p) => p.parent[0] >= gap[1]);
    const key = next ? next.index : -1;
    if (!parentGapsBefore.has(key)) parentGapsBefore.set(key, []);
    parentGapsBefore.get(key).push(gap);
  }
  const rows = [];
  const row = (kind, leftNodes, rightNodes) => {
    rows.push(el('div', { class: 'cell side-parent ' + kind }, el('pre', { class: 'side-text' }, leftNodes)));
    rows.push(el('div', { class: 'cell side-child ' + kind }, el('pre', { class: 'side-text' }, rightNodes)));
  };
  const rangesNodes = (side, ranges, role) => ranges.flatMap((r, i) => (i ? ['\n\n'] : []).concat(renderRange(side, r[0], r[1], role)));
  let childCursor = 0;
  for (const p of byChild) {
    const before = childGaps.filter((g) => g[0] >= childCursor && g[1] <= p.child[0]);
    const parentBefore = parentGapsBefore.get(p.index) || [];
    if (before.length || parentBefore.length) {
      row('gap-row', rangesNodes(left, parentBefore, 'parent'), rangesNodes(right, before, 'child'));
    }
    row('passage-row', renderRange(left, p.parent[0], p.parent[1], 'parent'), renderRange(right, p.child[0], p.child[1], 'child'));
    childCursor = Math.max(childCursor, p.child[1]);
  }
  const trailingChild = childGaps.filter((g) => g[0] >= childCursor);
  const trailingParent = parentGapsBefore.get(-1) || [];
  if (trailingChild.length || trailingParent.length) {
    row('gap-row', rangesNodes(left, trailingParent, 'parent'), rangesNodes(right, trailingChild, 'child'));
  }
  return rows;
}

/** A span grown over the unmarked punctuation and spaces next to it on the same line. */
function widen(side, span) {
  const loose = (i) => i >= 0 && i < side.length && side.layer[i] !== REUSED && side.layer[i] < EDIT_SUB &&
    !/[\p{L}\p{N}\n]/u.test(side.chars.slice(i, i + 1));
  let [start, end] = span;
  while (loose(start - 1)) start--;
  while (loose(end)) end++;
  return [start, end];
}

/** The stretches of [0, length) that no span covers and that hold a letter or digit (not stray punctuation). */
function gaps(length, spans, side) {
  const sorted = spans.map((s) => [Math.max(0, s[0]), Math.min(length, s[1])]).sort((x, y) => x[0] - y[0]);
  const out = [];
  let cursor = 0;
  for (const [start, end] of sorted) {
    if (start > cursor) out.push([cursor, start]);
    cursor = Math.max(cursor, end);
  }
  if (cursor < length) out.push([cursor, length]);
  return out.filter(([start, end]) => /[\p{L}\p{N}]/u.test(side.chars.slice(start, end)));
}

function pairFigures(pair, parentId) {
  if (!pair) return '';
  const parentInChild = pair.a === parentId ? pair.aInB : pair.bInA;
  const childInParent = pair.a === parentId ? pair.bInA : pair.aInB;
  const figures = 'Jaccard ' + formatScore(pair.jaccard) + ' · ' + formatPercent(childInParent) +
    ' of this version is in its parent · ' + formatPercent(parentInChild) + ' of the parent is kept';
  return pair.exact ? 'Exact duplicate: the same words as its parent · ' + figures : figures;
}

/**
 * The passages of a pair as {parent: [start, end], child: [start, end], edits: [...]} where each
 * edit is {kind, parentText, childText, parentAt, childAt}: the pair's a/b orientation resolved.
 */
function orient(group, parentId) {
  const parentIsA = group.a === parentId;
  return group.rows.map((row, index) => ({
    index: index,
    parent: parentIsA ? [row[0], row[1]] : [row[2], row[3]],
    child: parentIsA ? [row[2], row[3]] : [row[0], row[1]],
    words: row[4],
    identity: row[5],
    edits: row[6].map((e) => ({
      op: e[0],
      parentText: parentIsA ? e[1] : e[2],
      childText: parentIsA ? e[2] : e[1],
      parentAt: parentIsA ? e[3] : e[4],
      childAt: parentIsA ? e[4] : e[3],
    })),
  }));
}

/**
 * How each character of one side is marked: its layer (gap, reused, substituted, cut/added), the
 * passage it belongs to, and carets where an edit has no text on this side (a cut, seen from the
 * child; an addition, seen from the parent).
 */
function sideLayers(text, passages, role, article) {
  const chars = codePoints(text);
  const n = chars.length;
  const layer = new Uint8Array(n);
  const owner = new Int32Array(n).fill(-1);
  const carets = new Map();
  const counts = { sub: 0, only: 0 };
  const clamp = (x) => Math.max(0, Math.min(n, x | 0));

  for (const p of passages) {
    const [start, end] = p[role];
    for (let i = clamp(start); i < clamp(end); i++) {
      if (layer[i] < REUSED) layer[i] = REUSED;
      owner[i] = p.index;
    }
    for (const edit of p.edits) {
      const mine = role === 'parent' ? edit.parentText : edit.childText;
      const theirs = role === 'parent' ? edit.childText : edit.parentText;
      const at = role === 'parent' ? edit.parentAt : edit.childAt;
      const length = lengthOf(mine);
      if (length === 0) {
        const list = carets.get(clamp(at)) || [];
        list.push({ kind: role === 'parent' ? 'added' : 'cut', text: theirs });
        carets.set(clamp(at), list);
        continue;
      }
      const value = edit.op === 'substitute' && lengthOf(theirs) > 0 ? EDIT_SUB : EDIT_ONLY;
      if (value === EDIT_SUB) counts.sub += 1;
      else counts.only += 1;
      for (let i = clamp(at); i < clamp(at + length); i++) layer[i] = Math.max(layer[i], value);
    }
  }
  const bodyStart = typeof article.bodyStart === 'number' ? clamp(article.bodyStart) : 0;
  const bodyEnd = typeof article.bodyEnd === 'number' ? clamp(article.bodyEnd) : n;
  for (let i = 0; i < n; i++) {
    if (layer[i] === GAP && (i < bodyStart || i >= bodyEnd)) layer[i] = META;
  }
  return { chars: chars, length: n, layer: layer, owner: owner, carets: carets, counts: counts };
}

/** The characters [start, end) of one side as nodes: one <mark> or <span> per run of equal marking. */
function renderRange(side, start, end, role) {
  const { chars, layer, owner, carets } = side;
  const onlyHere = role === 'parent' ? 'cut' : 'added';
  const isSpace = (i) => /\s/.test(chars.slice(i, i + 1));
  start = Math.max(0, start);
  end = Math.min(side.length, end);
  while (start < end && isSpace(start) && !carets.has(start)) start++;
  while (end > start && isSpace(end - 1)) end--;
  const nodes = [];
  const pushCarets = (i) => {
    for (const caret of carets.get(i) || []) {
      nodes.push(el('span', { class: 'caret ' + caret.kind, title: caret.kind + ': ' + shorten(caret.text, 300) },
        caret.kind === 'cut' ? '−' : '+'));
    }
  };
  let i = start;
  while (i < end) {
    pushCarets(i);
    let j = i + 1;
    while (j < end && layer[j] === layer[i] && owner[j] === owner[i] && !carets.has(j)) j++;
    // Runs of blank lines shrink to one: they only push the two columns apart.
    const piece = chars.slice(i, j).replace(/\n[ \t\r]*\n(?:[ \t\r]*\n)+/g, '\n\n');
    if (layer[i] === META) {
      nodes.push(el('span', { class: 'meta', title: 'headline, dateline or credit' }, piece));
    } else if (layer[i] === GAP) {
      nodes.push(el('span', { class: 'gap', title: role === 'parent' ? 'not in this version' : 'not in the parent' }, piece));
    } else if (layer[i] === REUSED) {
      nodes.push(el('mark', { class: 'reused', 'data-p': owner[i] }, piece));
    } else if (layer[i] === EDIT_SUB) {
      nodes.push(el('mark', { class: 'sub', 'data-p': owner[i], title: 'substituted' }, piece));
    } else {
      nodes.push(el('mark', { class: onlyHere, 'data-p': owner[i], title: onlyHere }, piece));
    }
    i = j;
  }
  if (end > start && carets.has(end)) pushCarets(end);
  return nodes;
}

function sideHead(label, article) {
  const link = safeLink(article.url, 'open');
  return el('div', { class: 'side-head' }, [
    el('div', { class: 'role' }, label),
    el('div', {}, [el('span', { class: 'outlet' }, outletName(article)), ' ',
      el('span', { class: 'muted' }, (article.date || 'no date') + ' · '), el('span', { class: 'mono faint' }, article.id),
      link ? ' ' : null, link]),
    article.title ? el('div', { class: 'htitle', title: article.title }, article.title) : null,
  ]);
}

function legend(left, right, passages) {
  const item = (node, text) => el('span', {}, [node, ' ' + text]);
  return el('div', { class: 'key' }, [
    item(el('mark', { class: 'reused' }, 'reused'), '(' + plural(passages, 'passage') + ')'),
    item(el('mark', { class: 'sub' }, 'substituted'), '(' + formatNumber(right.sub) + ')'),
    item(el('mark', { class: 'cut' }, 'cut'), '(' + formatNumber(left.only) + ' inside passages)'),
    item(el('mark', { class: 'added' }, 'added'), '(' + formatNumber(right.only) + ' inside passages)'),
    item(el('span', { class: 'gap struck' }, 'not carried over'), '/'),
    item(el('span', { class: 'gap new' }, 'new in this version'), ''),
    item(el('span', { class: 'meta' }, 'headline, dateline, credit'), ''),
  ]);
}

/** The change summary of a lineage edge (see docs/output-contract.md), as chips and a list. */
function renderChanges(changes) {
  const chips = [];
  const chip = (cls, text) => chips.push(el('span', { class: 'change ' + cls }, text));
  if (changes.words_kept !== undefined) chip('', formatNumber(changes.words_kept) + ' words kept');
  if (changes.words_cut) chip('cut', '−' + formatNumber(changes.words_cut) + ' words cut');
  if (changes.words_added) chip('add', '+' + formatNumber(changes.words_added) + ' words added');
  if (changes.paragraphs_cut) chip('cut', plural(changes.paragraphs_cut.length, 'paragraph') + ' cut');
  if (changes.paragraphs_added) chip('add', plural(changes.paragraphs_added.length, 'paragraph') + ' added');
  if (changes.sentences_rewritten) chip('sub', plural(changes.sentences_rewritten, 'sentence') + ' rewritten');
  if (changes.quotes_altered) chip('sub', plural(changes.quotes_altered, 'quotation') + ' altered');
  for (const s of changes.substitutions || []) chip('sub', '“' + s.from + '” → “' + s.to + '” ×' + s.count);

  const details = [];
  const section = (title, items, render) => {
    if (items && items.length) details.push(el('li', {}, [el('strong', {}, title), el('ul', {}, items.map(render))]));
  };
  section('Paragraphs cut', changes.paragraphs_cut, (p) => el('li', {}, shorten(p.preview || '', 160)));
  section('Paragraphs added', changes.paragraphs_added, (p) => el('li', {}, shorten(p.preview || '', 160)));
  section('Inserted', changes.insertions, (r) => el('li', {}, shorten(r.text, 160)));
  section('Deleted', changes.deletions, (r) => el('li', {}, shorten(r.text, 160)));
  return el('div', { id: 'changes' }, [
    el('div', { class: 'changes' }, chips),
    details.length ? el('details', { class: 'change-details' }, [el('summary', {}, 'What changed, in detail'), el('ul', {}, details)]) : null,
  ]);
}
