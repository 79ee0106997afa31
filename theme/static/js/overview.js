/* The overview (overzicht/): the page holds the first cards in title order, the filter groups
 * with the counts of all entries, and without JavaScript a list of pages. This script:
 *
 * - turns the filters into checkboxes (filters.js) that filter all entries;
 * - replaces the page list by "Toon meer berichten", which adds the next cards and moves the
 *   focus to the first new one;
 * - loads, only when needed (a filter, the button coming near, the filters touched), the
 *   overview list (one small file: every entry's place among the listed entries and its
 *   filter values, in title order) and the search's manifest. The cards beyond the first page
 *   come from the search's document fragments (docs/search.md), built with DOM calls into the
 *   same markup as partials/entry_card.html. Text from entries is only ever set as text.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-overview]");
  if (!root || !window.WijknetFilters || !window.fetch || !window.Promise) { return; }

  var total = parseInt(root.getAttribute("data-total"), 10);
  var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 24;
  var listUrl = new URL(root.getAttribute("data-list"), window.location.href).href;
  var manifestUrl = new URL(root.getAttribute("data-manifest"), window.location.href).href;
  var list = root.querySelector("[data-results]");
  var progress = root.querySelector("[data-progress]");
  var pages = root.querySelector(".pagination");
  var serverCards = Array.prototype.slice.call(list.children);

  var data = null;       // promise of {items, manifest, names}
  var files = {};        // URL -> promise of its JSON
  var cards = {};        // position -> <li> (the page's own cards, then those made here)
  var matches = null;    // the items that meet the filters, in title order (null: all, not loaded)
  var active = false;
  var showing = serverCards.length;
  var generation = 0;

  function json(url) {
    if (!files[url]) {
      files[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status); }
        return response.json();
      });
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }

  // Area ids with every area above them, as Catalog.area_closure rolls them up.
  function closure(areaPositions, table) {
    var seen = {};
    var ids = [];
    areaPositions.forEach(function (at) {
      while (at !== -1 && at !== undefined && !seen[at]) {
        seen[at] = true;
        ids.push(table.gebieden[at]);
        at = table.ouders[at];
      }
    });
    return ids;
  }

  function load() {
    if (!data) {
      data = Promise.all([json(listUrl), json(manifestUrl)]).then(function (both) {
        var table = both[0], manifest = both[1];
        if (table.berichten !== manifest.documents || table.lijst.length !== total) {
          throw new Error("the overview list and the search files are of different builds");
        }
        var items = table.lijst.map(function (row) {
          var areas = closure(row[4], table);
          return {
            position: row[0],
            values: {
              soort: [table.soorten[row[1]]],
              thema: row[2].map(function (at) { return table.themas[at]; }),
              doelgroep: row[3].map(function (at) { return table.doelgroepen[at]; }),
              stadsdeel: areas,
              wijk: areas
            }
          };
        });
        // the page's own cards are the first items
        serverCards.forEach(function (card, i) { if (items[i]) { cards[items[i].position] = card; } });
        var names = { kinds: {}, areas: {} };
        table.soorten.forEach(function (id, i) { names.kinds[id] = table.soortnamen[i]; });
        table.gebieden.forEach(function (id, i) { names.areas[id] = table.gebiedsnamen[i]; });
        return { items: items, manifest: manifest, names: names };
      });
      data.catch(function () { data = null; });
    }
    return data;
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // The card of partials/entry_card.html (heading level 3, no reason), from a fragment's document.
  function makeCard(doc, names) {
    var item = document.createElement("li");
    var card = element("article", "card card-" + doc.kind + (doc.state ? " card-" + doc.state : ""));
    var title = element("h3", "card-title");
    var link = element("a", "", doc.title);
    link.setAttribute("href", doc.url);
    title.appendChild(link);
    card.appendChild(title);
    var meta = element("p", "card-meta");
    meta.appendChild(element("span", "badge badge-" + doc.kind, names.kinds[doc.kind] || doc.kind));
    if (doc.state) {
      meta.appendChild(element("span", "badge badge-state", doc.state.charAt(0).toUpperCase() + doc.state.slice(1).toLowerCase()));
    }
    if (doc.when) {
      var when = element("span", "card-when");
      var time = element("time", "", doc.when.text);
      time.setAttribute("datetime", doc.when.start);
      when.appendChild(time);
      meta.appendChild(when);
    }
    meta.appendChild(element("span", "card-areas", doc.areas.map(function (id) { return names.areas[id] || id; }).join(", ")));
    card.appendChild(meta);
    card.appendChild(element("p", "card-summary", doc.summary));
    item.appendChild(card);
    return item;
  }

  // The cards of these items, in order (fetching the fragments that hold them, in parallel).
  function cardsOf(chosen) {
    return load().then(function (loaded) {
      var about = loaded.manifest.fragments;
      return Promise.all(chosen.map(function (item) {
        if (cards[item.position]) { return cards[item.position]; }
        var number = Math.floor(item.position / about.size);
        var name = "d/" + about.blocks[Math.floor(number / about.block)] + "/" + number + ".json";
        return json(new URL(name, manifestUrl).href).then(function (fragment) {
          if (!cards[item.position]) {
            cards[item.position] = makeCard(fragment.documents[item.position - fragment.first], loaded.names);
          }
          return cards[item.position];
        });
      }));
    });
  }

  function count() {
    return matches ? matches.length : total;
  }

  var moreBar = element("p", "more");
  var more = element("button", "", "Toon meer berichten");
  more.type = "button";
  moreBar.appendChild(more);
  moreBar.hidden = true;

  function showProgress() {
    var n = count();
    var shownNow = Math.min(showing, n);
    moreBar.hidden = shownNow >= n;
    if (progress) {
      progress.textContent = n === 0 ? "" : "Je ziet " + shownNow + " van de " + (n === 1 ? "1 bericht" : n + " berichten") +
        (active ? " met deze filters" : "") + ", op volgorde van naam.";
    }
  }

  // Show the first `upTo` matches; with `focusFrom`, move the focus to the card at that place.
  function render(upTo, focusFrom) {
    var mine = ++generation;
    var chosen;
    if (matches) {
      chosen = matches.slice(0, upTo);
    } else {
      chosen = null;
    }
    var ready = chosen ? cardsOf(chosen) : load().then(function (loaded) { return cardsOf(loaded.items.slice(0, upTo)); });
    list.setAttribute("aria-busy", "true");
    return ready.then(function (nodes) {
      if (mine !== generation) { return; }
      list.removeAttribute("aria-busy");
      var same = nodes.length >= list.children.length && Array.prototype.every.call(list.children, function (node, i) { return nodes[i] === node; });
      if (same) {
        for (var i = list.children.length; i < nodes.length; i++) { list.appendChild(nodes[i]); }
      } else {
        list.textContent = "";
        nodes.forEach(function (node) { list.appendChild(node); });
      }
      showing = nodes.length;
      showProgress();
      if (focusFrom !== undefined && nodes[focusFrom]) {
        var link = nodes[focusFrom].querySelector("a");
        if (link) { link.focus(); }
      }
    }, function () {
      if (mine !== generation) { return; }
      list.removeAttribute("aria-busy");
      failed();
    });
  }

  // Without the files the page list still works: show it again.
  function failed() {
    moreBar.hidden = true;
    if (pages) { pages.hidden = false; }
    if (progress) { progress.textContent = "De volgende berichten staan op de volgende pagina's."; }
  }

  more.addEventListener("click", function () {
    var from = showing;
    more.disabled = true;
    render(showing + pageSize, from).then(function () { more.disabled = false; }, function () { more.disabled = false; });
  });

  var filters = window.WijknetFilters.attach(root, null, {
    keepClosed: true,
    load: function () { return load().then(function (loaded) { return loaded.items; }); },
    failed: failed,
    done: function (shown, isActive, found) {
      active = isActive;
      if (found === null) {
        // no filter and nothing loaded: the page's own cards
        if (matches !== null) { matches = null; render(pageSize); }
        showProgress();
        return;
      }
      matches = isActive ? found : null;
      render(pageSize);
    }
  });

  if (pages) {
    pages.hidden = true;
    pages.parentNode.insertBefore(moreBar, pages);
  } else {
    list.parentNode.appendChild(moreBar);
  }
  showProgress();

  // Load ahead when the button comes near or the filters are touched, so both answer at once.
  var filterSection = root.querySelector("[data-filters]");
  ["pointerdown", "focusin", "toggle"].forEach(function (type) {
    filterSection.addEventListener(type, function () { load(); }, { once: true, capture: true });
  });
  if (window.IntersectionObserver && !moreBar.hidden) {
    var watcher = new IntersectionObserver(function (seen) {
      if (seen.some(function (entry) { return entry.isIntersecting; })) {
        watcher.disconnect();
        load().then(function (loaded) { return cardsOf((matches || loaded.items).slice(showing, showing + pageSize)); }).catch(function () {});
      }
    }, { rootMargin: "600px 0px" });
    watcher.observe(moreBar);
  }
  window.wijknetOverview = { filters: filters, load: load };
}());
