// Filters: outlet, date range, free text and (from the overview) one story. A cluster or story
// passes when at least one of its articles matches the outlet and falls inside the date range.

function createFilters(model, onChange) {
  const state = { outlet: '', from: '', to: '', q: '', story: null };
  const outlet = document.getElementById('filter-outlet');
  const from = document.getElementById('filter-from');
  const to = document.getElementById('filter-to');
  const q = document.getElementById('filter-q');
  const storyChip = document.getElementById('filter-story');

  for (const [name, count] of model.outlets) {
    outlet.appendChild(el('option', { value: name }, name + ' (' + formatNumber(count) + ')'));
  }
  const days = Array.from(model.articles.values()).map((a) => a.day).filter(Boolean).sort();
  if (days.length) {
    for (const input of [from, to]) {
      input.min = days[0];
      input.max = days[days.length - 1];
    }
  }

  function read() {
    state.outlet = outlet.value;
    state.from = from.value;
    state.to = to.value;
    state.q = q.value.trim().toLowerCase();
    onChange();
  }
  outlet.addEventListener('change', read);
  from.addEventListener('change', read);
  to.addEventListener('change', read);
  q.addEventListener('input', debounce(read, 150));
  document.getElementById('filters').addEventListener('submit', (event) => event.preventDefault());
  document.getElementById('filter-reset').addEventListener('click', () => {
    outlet.value = from.value = to.value = q.value = '';
    setStory(null);
    read();
  });

  function setStory(story) {
    state.story = story;
    clear(storyChip);
    storyChip.hidden = !story;
    if (story) {
      append(storyChip, ['story: ' + shorten(story.label || story.id, 40),
        el('button', { type: 'button', 'aria-label': 'clear story filter', onclick: () => { setStory(null); onChange(); } }, '×')]);
    }
  }

  /** Whether one article passes the outlet and date filters. */
  function articleMatches(id) {
    const article = model.article(id);
    if (state.outlet && article.source !== state.outlet) return false;
    if (state.from && (!article.day || article.day < state.from)) return false;
    if (state.to && (!article.day || article.day > state.to)) return false;
    return true;
  }

  function active() {
    return Boolean(state.outlet || state.from || state.to || state.q || state.story);
  }

  function clusterMatches(cluster) {
    if (state.q && !cluster.search.includes(state.q)) return false;
    if (state.story && !cluster.articles.some((id) => model.storyOf.get(id) === state.story)) return false;
    if (!state.outlet && !state.from && !state.to) return true;
    return cluster.articles.some(articleMatches);
  }

  function storyMatches(story) {
    if (state.story && story !== state.story) return false;
    if (state.q) {
      const text = (story.id + ' ' + (story.label || '') + ' ' + story.articles.join(' ')).toLowerCase();
      if (!text.includes(state.q)) return false;
    }
    if (!state.outlet && !state.from && !state.to) return true;
    return story.articles.some(articleMatches);
  }

  return {
    state: state, active: active, articleMatches: articleMatches,
    clusterMatches: clusterMatches, storyMatches: storyMatches, setStory: setStory,
    summary: function (text) { document.getElementById('filter-summary').textContent = text; },
  };
}
