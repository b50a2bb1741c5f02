// Copy clusters: a paginated list (only one page of items is ever in the DOM, so 10,000 clusters
// stay quick) and, for the chosen cluster, its source with the reasons, its lineage tree and the
// side-by-side view of one version against its parent.

const CLUSTERS_PER_PAGE = 50;

function createClusters(model, filters) {
  const list = document.getElementById('cluster-list');
  const detail = document.getElementById('cluster-detail');
  let page = 0;
  let matching = model.clusters;
  let current = null; // the cluster shown
  let version = null; // the version compared with its parent

  function refresh() {
    matching = model.clusters.filter(filters.clusterMatches);
    page = Math.min(page, Math.max(0, Math.ceil(matching.length / CLUSTERS_PER_PAGE) - 1));
    renderList();
    if (!current) renderEmpty();
  }

  function renderList() {
    clear(list);
    const start = page * CLUSTERS_PER_PAGE;
    list.appendChild(el('div', { class: 'pager-top' },
      pager(start, matching.length, CLUSTERS_PER_PAGE, (p) => { page = p; renderList(); list.scrollIntoView({ block: 'nearest' }); }, 'clusters')));
    if (!fileUsable(model, 'copies.jsonl')) {
      list.appendChild(el('p', { class: 'muted' }, 'copies.jsonl is not in this directory.'));
      return;
    }
    if (!matching.length) {
      list.appendChild(el('p', { class: 'muted' }, 'No copy cluster matches the filters.'));
      return;
    }
    const items = matching.slice(start, start + CLUSTERS_PER_PAGE).map(listItem);
    list.appendChild(el('ul', { class: 'cluster-items' }, items));
  }

  function listItem(cluster) {
    const source = model.article(cluster.root);
    const outlets = cluster.outlets.length > 3
      ? cluster.outlets.slice(0, 3).join(', ') + ' +' + (cluster.outlets.length - 3)
      : cluster.outlets.join(', ');
    return el('li', {
      class: 'cluster-item', 'data-cluster': cluster.id, tabindex: 0, role: 'button',
      'aria-current': current === cluster ? 'true' : 'false',
      onclick: () => show(cluster.id),
      onkeydown: (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); show(cluster.id); } },
    }, [
      el('div', { class: 'top' }, [el('span', { class: 'mono' }, cluster.id), el('span', { class: 'size-badge' }, plural(cluster.size, 'version'))]),
      el('div', { class: 'title' }, source.title || source.id),
      el('div', { class: 'outlets' }, (outlets || 'no outlet') + ' · ' + dayRange(cluster.first, cluster.last)),
    ]);
  }

  function renderEmpty() {
    clear(detail);
    detail.appendChild(el('div', { class: 'panel empty-state' }, model.clusters.length
      ? 'Choose a copy cluster to see where its copy came from and what each outlet changed.'
      : 'This output has no copy clusters.'));
  }

  /** Show one cluster (by id) and one of its versions against its parent (default: the first child of the root). */
  function show(id, versionId) {
    const cluster = model.clusterById.get(id);
    if (!cluster) return false;
    current = cluster;
    const order = treeOrder(cluster);
    version = versionId && cluster.parentOf.has(versionId) ? versionId : order.find((v) => cluster.parentOf.has(v)) || null;
    for (const item of list.querySelectorAll('.cluster-item')) {
      item.setAttribute('aria-current', item.getAttribute('data-cluster') === id ? 'true' : 'false');
    }
    renderDetail();
    return true;
  }

  function renderDetail() {
    const cluster = current;
    clear(detail);
    const head = el('section', { class: 'panel', id: 'cluster-head' }, [
      el('div', { class: 'detail-head' }, [
        el('h2', {}, 'Copy cluster ' + cluster.id),
        el('span', { class: 'muted' }, plural(cluster.size, 'version') + ' · ' + plural(cluster.outlets.length, 'outlet') +
          ' · ' + dayRange(cluster.first, cluster.last)),
      ]),
      sourceBox(cluster),
    ]);
    const tree = el('section', { class: 'panel', id: 'lineage' }, [
      el('h3', {}, 'Lineage'),
      el('p', { class: 'muted' }, 'Each version hangs under the version it most likely came from. Click one to compare it with its parent.'),
      el('ul', { class: 'tree' }, treeNode(cluster, cluster.root, new Set())),
    ]);
    const compare = el('section', { class: 'panel', id: 'compare' });
    append(detail, [head, tree, compare]);
    if (version) renderCompare(compare, model, cluster, cluster.parentOf.get(version), version);
    else compare.appendChild(el('p', { class: 'muted' }, 'This cluster has one version only.'));
  }

  function sourceBox(cluster) {
    const source = model.article(cluster.root);
    if (!cluster.source) {
      return el('div', { class: 'source-box' }, [
        el('strong', {}, 'No source traced'),
        el('span', { class: 'muted' }, ' (copies.jsonl has no source for this cluster); versions are compared with ' + cluster.root + '.'),
      ]);
    }
    return el('div', { class: 'source-box', id: 'source' }, [
      el('div', {}, [
        el('strong', {}, 'Source: '), el('span', { class: 'mono' }, cluster.source), ' ',
        el('span', {}, outletName(source) + (source.date ? ' · ' + source.date : '')),
        cluster.confidence === null ? null : el('span', { class: 'muted confidence' }, ' · confidence ' + formatScore(cluster.confidence)),
      ]),
      cluster.reasons.length ? el('ul', { class: 'reasons' }, cluster.reasons.map((r) => el('li', {}, r))) : null,
    ]);
  }

  function treeNode(cluster, id, seen) {
    seen.add(id);
    const article = model.article(id);
    const edge = cluster.edgeOf.get(id);
    const isRoot = id === cluster.root;
    const changes = edge && edge.changes;
    const tags = [];
    if (isRoot && cluster.source === id) tags.push(el('span', { class: 'tag src' }, 'source'));
    if (!isRoot && !edge) tags.push(el('span', { class: 'tag unplaced', title: 'no lineage edge: compared with the root' }, 'unplaced'));
    if (edge && edge.confidence !== null) tags.push(el('span', { class: 'tag' }, 'edge ' + formatScore(edge.confidence)));
    if (changes && changes.words_cut) tags.push(el('span', { class: 'tag cut' }, '−' + formatNumber(changes.words_cut) + ' words'));
    if (changes && changes.words_added) tags.push(el('span', { class: 'tag add' }, '+' + formatNumber(changes.words_added) + ' words'));
    const node = el('button', {
      type: 'button', class: 'node' + (isRoot ? ' root' : ''), 'data-article': id,
      'aria-pressed': id === version ? 'true' : 'false', disabled: isRoot,
      onclick: () => { if (!isRoot) { show(cluster.id, id); } },
    }, [
      el('span', { class: 'outlet' }, outletName(article)),
      el('span', { class: 'date' }, article.date || 'no date'),
      el('span', { class: 'mono faint' }, id),
      tags,
      el('span', { class: 'ntitle' }, article.title || ''),
    ]);
    const kids = (cluster.children.get(id) || []).filter((child) => !seen.has(child));
    return el('li', {}, [node, kids.length ? el('ul', {}, kids.map((child) => treeNode(cluster, child, seen))) : null]);
  }

  return {
    refresh: refresh,
    show: show,
    current: () => (current ? current.id : null),
    clearSelection: () => { current = null; version = null; renderEmpty(); renderList(); },
  };
}

/** The versions of a cluster in the order the tree shows them (depth first from the root). */
function treeOrder(cluster) {
  const order = [];
  const seen = new Set();
  const visit = (id) => {
    if (seen.has(id)) return;
    seen.add(id);
    order.push(id);
    for (const child of cluster.children.get(id) || []) visit(child);
  };
  visit(cluster.root);
  return order;
}
