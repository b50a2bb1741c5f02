// Start-up: read the embedded data, build the model, wire tabs, filters and the address fragment
// (#cluster=c000001&version=ID opens a cluster, so a view can be linked to).

function readPayload() {
  const block = document.getElementById('copydesk-data');
  return JSON.parse(block ? block.textContent : '{}');
}

function start() {
  const data = readPayload();
  const model = buildModel(data);
  const subtitle = document.getElementById('subtitle');
  subtitle.textContent = 'copydesk · reused news copy across outlets · ' + plural(model.clusters.length, 'copy cluster');

  let clusters = null;
  const filters = createFilters(model, () => {
    overview.render();
    clusters.refresh();
    const shown = model.clusters.filter(filters.clusterMatches).length;
    filters.summary(filters.active() ? formatNumber(shown) + ' of ' + plural(model.clusters.length, 'cluster') + ' match' : '');
  });
  const overview = createOverview(model, filters, (id) => {
    selectTab('clusters');
    if (id) openCluster(id);
    else clusters.refresh();
  });
  clusters = createClusters(model, filters);

  function selectTab(name) {
    for (const tab of document.querySelectorAll('.tab')) {
      const on = tab.getAttribute('data-tab') === name;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      document.getElementById('view-' + tab.getAttribute('data-tab')).hidden = !on;
    }
  }

  function openCluster(id, version) {
    selectTab('clusters');
    if (clusters.show(id, version)) {
      history.replaceState(null, '', '#cluster=' + encodeURIComponent(id) + (version ? '&version=' + encodeURIComponent(version) : ''));
      document.getElementById('cluster-detail').scrollIntoView({ block: 'start' });
    }
  }

  for (const tab of document.querySelectorAll('.tab')) {
    tab.addEventListener('click', () => selectTab(tab.getAttribute('data-tab')));
  }

  overview.render();
  clusters.refresh();
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('cluster')) openCluster(fragment.get('cluster'), fragment.get('version'));
  document.body.setAttribute('data-ready', 'true');
}

try {
  start();
} catch (err) {
  const notice = el('p', { class: 'notice', id: 'load-error' }, 'The report could not be shown: ' + err);
  document.querySelector('main').prepend(notice);
  throw err;
}
