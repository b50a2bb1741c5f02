// The data model: the embedded payload turned into lookups the views share.
// Rows arrive as compact arrays (see copydesk/report/records.py); here they become objects once.

/** The key of an unordered pair of article ids (the same for (a, b) and (b, a)). */
function pairKey(a, b) {
  return a < b ? a + '\u0000' + b : b + '\u0000' + a;
}

function articleFromRow(row) {
  return {
    id: row[0], date: row[1], source: row[2], title: row[3], agency: row[4], dateline: row[5],
    url: row[6], byline: row[7], words: row[8], bodyStart: row[9], bodyEnd: row[10],
    day: dayOf(row[1]),
  };
}

/** What to call an article's outlet: its source, else the agency it credits, else a placeholder. */
function outletName(article) {
  if (article.source) return article.source;
  return article.agency ? article.agency + ' (credited)' : 'outlet not named';
}

/** Build the model from the payload: articles, pairs, passages, clusters with their trees, stories. */
function buildModel(data) {
  const articles = new Map();
  for (const row of data.articles || []) articles.set(row[0], articleFromRow(row));

  const pairs = new Map();
  for (const row of data.pairs || []) {
    pairs.set(pairKey(row[0], row[1]), {
      a: row[0], b: row[1], jaccard: row[2], aInB: row[3], bInA: row[4], shared: row[5], exact: row[6] === true,
    });
  }

  const passages = new Map();
  for (const [a, b, rows] of data.passages || []) passages.set(pairKey(a, b), { a: a, b: b, rows: rows });

  const model = {
    data: data,
    articles: articles,
    pairs: pairs,
    passages: passages,
    clusters: [],
    clusterById: new Map(),
    clusterOf: new Map(),
    stories: data.stories || [],
    storyOf: new Map(),
    outlets: [],
    texts: null,
    article: function (id) {
      return articles.get(id) || { id: id, source: null, date: null, title: null, day: '' };
    },
  };

  (data.clusters || []).forEach((raw, index) => {
    const cluster = prepareCluster(model, raw, index);
    model.clusters.push(cluster);
    model.clusterById.set(cluster.id, cluster);
    for (const id of cluster.articles) model.clusterOf.set(id, cluster);
  });
  for (const story of model.stories) {
    for (const id of story.articles) model.storyOf.set(id, story);
  }
  model.outlets = countOutlets(model);
  return model;
}

/**
 * A cluster with what the views need: its root, the parent of each version (from the lineage, or
 * the root for a version no edge reaches), the children of each version, its outlets and days.
 */
function prepareCluster(model, raw, index) {
  const members = new Set(raw.articles);
  const root = raw.source && members.has(raw.source) ? raw.source : raw.articles[0];
  const parentOf = new Map();
  const edgeOf = new Map();
  for (const edge of raw.lineage) {
    if (!members.has(edge.child) || !members.has(edge.parent) || edge.child === root) continue;
    if (parentOf.has(edge.child)) continue; // one parent per version: the first edge wins
    parentOf.set(edge.child, edge.parent);
    edgeOf.set(edge.child, edge);
  }
  // A version the edges do not connect to the root (no edge, or a cycle) hangs from the root.
  const reached = reachable(root, parentOf, raw.articles);
  for (const id of raw.articles) {
    if (id !== root && !reached.has(id)) {
      parentOf.set(id, root);
      edgeOf.delete(id);
    }
  }
  const children = new Map();
  for (const id of raw.articles) {
    const parent = parentOf.get(id);
    if (parent === undefined) continue;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(id);
  }
  for (const list of children.values()) list.sort((x, y) => compareByDate(model, x, y));

  const outlets = new Set();
  const days = [];
  const words = [];
  for (const id of raw.articles) {
    const article = model.article(id);
    if (article.source) outlets.add(article.source);
    if (article.day) days.push(article.day);
    words.push(id, article.title || '', article.source || '');
  }
  days.sort();
  return {
    id: raw.id, index: index, articles: raw.articles, size: raw.articles.length,
    source: raw.source, confidence: raw.confidence, reasons: raw.reasons, lineage: raw.lineage,
    root: root, parentOf: parentOf, edgeOf: edgeOf, children: children,
    outlets: Array.from(outlets).sort(), first: days[0] || '', last: days[days.length - 1] || '',
    search: (raw.id + ' ' + words.join(' ')).toLowerCase(),
  };
}

/** The versions reached from the root by following parent links backwards (cycle-safe). */
function reachable(root, parentOf, ids) {
  const reached = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const id of ids) {
      if (!reached.has(id) && reached.has(parentOf.get(id))) {
        reached.add(id);
        grew = true;
      }
    }
  }
  return reached;
}

function compareByDate(model, x, y) {
  const dx = model.article(x).date || '';
  const dy = model.article(y).date || '';
  return dx < dy ? -1 : dx > dy ? 1 : x < y ? -1 : x > y ? 1 : 0;
}

/** Outlets of the articles the page shows, most articles first. */
function countOutlets(model) {
  const counts = new Map();
  for (const article of model.articles.values()) {
    if (article.source) counts.set(article.source, (counts.get(article.source) || 0) + 1);
  }
  return Array.from(counts.entries()).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
}

/**
 * The original text of an article, or null when texts.jsonl did not hold it. The texts sit in
 * their own JSON block, parsed on first use: the overview and the list open without them.
 */
function textOf(model, id) {
  if (model.texts === null) {
    model.texts = new Map();
    const block = document.getElementById('copydesk-texts');
    const rows = block ? JSON.parse(block.textContent || '[]') : [];
    for (const [article, text] of rows) model.texts.set(article, text);
  }
  const text = model.texts.get(id);
  return typeof text === 'string' ? text : null;
}

/** The state of one input file as the page read it ({name, state, records, skipped, note}). */
function fileStatus(model, name) {
  return (model.data.files || []).find((f) => f.name === name) || { name: name, state: 'missing' };
}

function fileUsable(model, name) {
  const state = fileStatus(model, name).state;
  return state === 'ok' || state === 'partial';
}
