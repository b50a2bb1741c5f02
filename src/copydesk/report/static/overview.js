// The overview: counts, the state of each input file, the largest copy clusters, and the largest
// stories each with a timeline of its versions.

const TOP_CLUSTERS = 10;
const STORIES_PER_PAGE = 12;

function createOverview(model, filters, openCluster) {
  const root = document.getElementById('view-overview');
  let storyPage = 0;

  function render() {
    clear(root);
    root.appendChild(renderStats(model));
    const grid = el('div', { class: 'overview-grid' });
    grid.appendChild(el('div', {}, [renderTopClusters(), renderFiles(model)]));
    grid.appendChild(renderStories());
    root.appendChild(grid);
  }

  function renderTopClusters() {
    const panel = el('section', { class: 'panel', id: 'top-clusters' }, el('h2', {}, 'Largest copy clusters'));
    if (!fileUsable(model, 'copies.jsonl')) {
      panel.appendChild(el('p', { class: 'muted' }, 'copies.jsonl is not in this directory: no copy clusters to show.'));
      return panel;
    }
    const shown = model.clusters.filter(filters.clusterMatches)
      .sort((x, y) => y.size - x.size || x.index - y.index).slice(0, TOP_CLUSTERS);
    if (!shown.length) {
      panel.appendChild(el('p', { class: 'muted' }, 'No copy cluster matches the filters.'));
      return panel;
    }
    const rows = shown.map((cluster) => {
      const source = model.article(cluster.root);
      return el('tr', { class: 'clickable', 'data-cluster': cluster.id, onclick: () => openCluster(cluster.id) }, [
        el('td', { class: 'mono' }, cluster.id),
        el('td', { class: 'num' }, formatNumber(cluster.size)),
        el('td', { class: 'title-cell' }, [
          el('div', {}, shorten(source.title || source.id, 80)),
          el('div', { class: 'muted' }, shorten(cluster.outlets.join(', ') || 'no outlet', 80)),
        ]),
        el('td', { class: 'muted' }, dayRange(cluster.first, cluster.last)),
      ]);
    });
    panel.appendChild(el('table', { class: 'data' }, [
      el('thead', {}, el('tr', {}, [el('th', {}, 'Cluster'), el('th', { class: 'num' }, 'Versions'),
        el('th', {}, 'Source headline · outlets'), el('th', {}, 'Dates')])),
      el('tbody', {}, rows),
    ]));
    return panel;
  }

  function renderStories() {
    const panel = el('section', { class: 'panel', id: 'stories' }, el('h2', {}, 'Largest stories: versions over time'));
    if (!fileUsable(model, 'stories.jsonl')) {
      panel.appendChild(el('p', { class: 'muted' }, 'stories.jsonl is not in this directory: no stories to show.'));
      return panel;
    }
    const stories = model.stories.filter(filters.storyMatches);
    if (!stories.length) {
      panel.appendChild(el('p', { class: 'muted' }, 'No story matches the filters.'));
      return panel;
    }
    panel.appendChild(el('div', { class: 'legend' }, [
      el('span', {}, [el('span', { class: 'legend-swatch' }), 'version']),
      el('span', {}, [el('span', { class: 'legend-swatch copy' }), 'in a copy cluster']),
      el('span', {}, [el('span', { class: 'legend-swatch source' }), 'source of its cluster']),
      el('span', {}, 'Click a story to filter the clusters to it.'),
    ]));
    const pages = Math.ceil(stories.length / STORIES_PER_PAGE);
    storyPage = Math.min(storyPage, pages - 1);
    const start = storyPage * STORIES_PER_PAGE;
    const list = el('div', { class: 'timeline' });
    for (const story of stories.slice(start, start + STORIES_PER_PAGE)) list.appendChild(storyRow(story));
    panel.appendChild(list);
    panel.appendChild(pager(start, stories.length, STORIES_PER_PAGE, (page) => { storyPage = page; render(); }, 'stories'));
    if (model.data.shown && model.data.shown.single_stories) {
      panel.appendChild(el('p', { class: 'faint' },
        plural(model.data.shown.single_stories, 'single-article story', 'single-article stories') + ' not listed.'));
    }
    return panel;
  }

  function storyRow(story) {
    const shown = story.articles.filter(filters.articleMatches);
    const label = story.label || story.id;
    return el('div', { class: 'timeline-row', 'data-story': story.id }, [
      el('div', { class: 'timeline-label' }, [
        el('div', { class: 'name', title: label }, [
          el('button', { type: 'button', class: 'link-button', onclick: () => { filters.setStory(story); openCluster(null); } },
            shorten(label, 48)),
        ]),
        el('div', { class: 'meta' }, plural(story.articles.length, 'version') + ' · ' + dayRange(story.first, story.last)),
      ]),
      timeline(model, shown.length ? shown : story.articles),
    ]);
  }

  return { render: render };
}

function renderStats(model) {
  const counts = model.data.counts || {};
  const card = (value, label, note) => el('div', { class: 'stat-card' }, [
    el('div', { class: 'stat-value' }, formatNumber(value)),
    el('div', { class: 'stat-label' }, label),
    note ? el('div', { class: 'stat-note' }, note) : null,
  ]);
  return el('div', { class: 'stats', id: 'stats' }, [
    card(counts.articles, 'articles'),
    card(counts.clusters, 'copy clusters',
      counts.clustered_articles === null || counts.clustered_articles === undefined
        ? null : formatNumber(counts.clustered_articles) + ' articles in them'),
    card(counts.pairs, 'copy pairs'),
    card(counts.passages, 'aligned passages'),
    card(counts.stories, 'stories'),
  ]);
}

function renderFiles(model) {
  const items = (model.data.files || []).map((file) => el('span', {
    class: 'file-state ' + file.state,
    title: file.note || (formatNumber(file.records) + ' records' + (file.skipped ? ', ' + file.skipped + ' skipped' : '')),
  }, file.name + ': ' + file.state));
  const notes = (model.data.files || []).filter((f) => f.note && f.state === 'partial')
    .map((f) => el('p', { class: 'notice' }, f.note));
  return el('section', { class: 'panel', id: 'files' }, [
    el('h2', {}, 'Input files'),
    el('div', { class: 'file-list' }, items),
    notes,
  ]);
}

/**
 * An SVG strip: one dot per version at its date. Versions on the same day stack upwards, so a
 * story told within one day still shows how many outlets ran it.
 */
function timeline(model, ids) {
  const width = 520;
  const pad = 8;
  const points = ids.map((id) => ({ id: id, article: model.article(id), t: timeOf(model.article(id).date) }))
    .filter((p) => !Number.isNaN(p.t)).sort((x, y) => x.t - y.t);
  const undated = ids.length - points.length;
  const first = points.length ? points[0].t : 0;
  const last = points.length ? points[points.length - 1].t : 0;
  const span = last - first;
  const x = (t) => (span > 0 ? pad + ((t - first) / span) * (width - 2 * pad) : width / 2);
  const stacks = new Map();
  let tallest = 1;
  const dots = points.map((p) => {
    const cx = Math.round(x(p.t));
    const level = stacks.get(cx) || 0;
    stacks.set(cx, level + 1);
    tallest = Math.max(tallest, level + 1);
    return { p: p, cx: cx, level: level };
  });
  const rows = Math.min(tallest, 6);
  const height = 16 + rows * 9;
  const baseline = height - 14;
  const svg = svgEl('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'timeline of versions' });
  svg.appendChild(svgEl('line', { class: 'axis', x1: pad, x2: width - pad, y1: baseline, y2: baseline }));
  for (const { p, cx, level } of dots) {
    const cluster = model.clusterOf.get(p.id);
    const kind = cluster ? (cluster.source === p.id ? 'dot source' : 'dot copy') : 'dot';
    const cy = baseline - 5 - Math.min(level, rows - 1) * 9;
    const label = outletName(p.article) + ' · ' + (p.article.date || '') + ' · ' + (p.article.title || p.id);
    svg.appendChild(svgEl('circle', { class: kind, cx: cx, cy: cy, r: 4 }, svgEl('title', { text: label })));
  }
  if (points.length) {
    const firstDay = dayOf(points[0].article.date);
    const lastDay = dayOf(points[points.length - 1].article.date);
    svg.appendChild(svgEl('text', { class: 'tick', x: pad, y: height - 2, text: firstDay }));
    if (lastDay !== firstDay) svg.appendChild(svgEl('text', { class: 'tick', x: width - pad, y: height - 2, 'text-anchor': 'end', text: lastDay }));
  }
  if (undated) svg.appendChild(svgEl('text', { class: 'tick', x: width - pad, y: 10, 'text-anchor': 'end', text: '+ ' + undated + ' undated' }));
  return svg;
}

/** Previous/next buttons with "first–last of total"; onPage receives the new page index. */
function pager(start, total, size, onPage, what) {
  const page = Math.floor(start / size);
  const pages = Math.max(1, Math.ceil(total / size));
  const end = Math.min(total, start + size);
  return el('div', { class: 'pager', 'data-pager': what }, [
    el('button', { type: 'button', class: 'prev', disabled: page === 0, onclick: () => onPage(page - 1) }, '‹ Prev'),
    el('span', { class: 'range' }, total ? formatNumber(start + 1) + '–' + formatNumber(end) + ' of ' + formatNumber(total) : 'none'),
    el('button', { type: 'button', class: 'next', disabled: page >= pages - 1, onclick: () => onPage(page + 1) }, 'Next ›'),
  ]);
}
