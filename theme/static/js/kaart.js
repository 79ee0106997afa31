/* The map of kaart/: the overview's filters (filters.js) over every listed entry, the table
 * per wijk and the entries without an address, and, when Leaflet is there, the interactive
 * map: our own boundaries as the only layer (no tiles, nothing from elsewhere), the entries
 * with an address as markers in groups, popups with details loaded on demand, and the wijken
 * coloured by the number of entries. Without this script the page shows a drawing of the city
 * with the same areas as links; when Leaflet does not load, the filters, the table and the
 * lists still work.
 *
 * Reads kaart/punten.json (see wijknet/kaart/payload.py) when a filter is chosen or the map
 * comes near the screen; then also kaart/grenzen.json and Leaflet with its stylesheets (their
 * addresses are on the root element); per popup, one kaart/details/<n>.json. Work is split
 * into short tasks, so the page answers input while the map is made. No style attributes in markup: styles are set through
 * the DOM, so the page's Content-Security-Policy (style-src 'self') holds. */
(function () {
  "use strict";

  var root = document.querySelector("[data-kaart]");
  if (!root || !window.fetch || !window.WijknetFilters) { return; }

  var CLASS_COLOURS = ["#c6dbef", "#6baed6", "#2b7bba", "#08306b"];
  var EMPTY_FILL = "url(#kaart-arcering)";
  var PLAIN_FILL = "#ffffff";

  var table = root.querySelector("[data-kaart-tabel]");
  var explanation = root.querySelector("[data-kaart-uitleg]");
  var emptyStatus = root.querySelector("[data-kaart-weinig-status]");
  var unplacedList = root.querySelector("[data-kaart-zonder-adres]");
  var allPlaced = root.querySelector("[data-kaart-alles-adres]");
  var announcer = root.querySelector("[data-kaart-melding]");

  var data = null;
  var items = [];
  var wijkRows = {};
  var map = null;

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function numberNl(value, decimals) {
    return value.toLocaleString("nl-NL", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  }

  function announce(text) {
    if (!announcer) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // --- work in small steps ----------------------------------------------------------------

  // the next task: lets the browser paint and answer input between two steps of work
  function nextTask() {
    return new Promise(function (resolve) { window.setTimeout(resolve, 0); });
  }

  // resolves when the element is on the screen or close to it (at once without an observer)
  function whenNear(element) {
    return new Promise(function (resolve) {
      if (!element || !window.IntersectionObserver) { resolve(); return; }
      var observer = new window.IntersectionObserver(function (seen) {
        if (seen.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          resolve();
        }
      }, { rootMargin: "0px" });
      observer.observe(element);
    });
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.async = false;
      script.onload = resolve;
      script.onerror = function () { reject(new Error(url)); };
      document.head.appendChild(script);
    });
  }

  // before the page's own map stylesheet, so its rules still come last
  function loadStyle(url) {
    return new Promise(function (resolve, reject) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = url;
      link.onload = resolve;
      link.onerror = function () { reject(new Error(url)); };
      document.head.insertBefore(link, document.querySelector("link[data-kaart-stijl]"));
    });
  }

  // Leaflet and its marker groups, with their stylesheets (Leaflet first: the groups extend it)
  function loadLeaflet() {
    return Promise.all([
      loadStyle(root.getAttribute("data-leaflet-stijl")),
      loadStyle(root.getAttribute("data-groepen-stijl")),
      loadScript(root.getAttribute("data-leaflet")).then(function () {
        return loadScript(root.getAttribute("data-groepen"));
      })
    ]);
  }

  // --- the entries ------------------------------------------------------------------------

  function closureOf(indices) {
    var seen = [];
    indices.forEach(function (index) {
      var at = index;
      while (at !== -1 && at !== undefined && seen.indexOf(at) === -1) {
        seen.push(at);
        at = data.ouders[at];
      }
    });
    return seen;
  }

  function makeItems() {
    var city = data.ouders.indexOf(-1);
    items = data.berichten.map(function (row, index) {
      var closure = closureOf(row[5]);
      var ids = closure.map(function (i) { return data.gebieden[i]; });
      return {
        index: index, lat: row[0], lon: row[1], kind: row[2], wijk: row[6], direct: row[5], closure: closure,
        citywide: row[5].indexOf(city) !== -1,
        values: {
          soort: [data.soorten[row[2]]],
          thema: row[3].map(function (i) { return data.themas[i]; }),
          doelgroep: row[4].map(function (i) { return data.doelgroepen[i]; }),
          stadsdeel: ids,
          wijk: ids
        },
        visible: true,
        marker: null
      };
    });
  }

  // The points, fetched once: when a filter is chosen or when the map comes near the screen.
  // A phone that opens the page and reads the table or the lists fetches none of them.
  var itemsLoading = null;
  function loadItems() {
    if (!itemsLoading) {
      itemsLoading = getJson(root.getAttribute("data-punten")).then(function (points) {
        mark("kaart-punten");
        data = points;
        makeItems();
        return nextTask();
      }).then(function () { return items; }, function (error) {
        itemsLoading = null; // a later filter or scroll tries again
        throw error;
      });
    }
    return itemsLoading;
  }

  // --- counts: the table, the entries without an address ---------------------------------

  function wijkCounts() {
    var counts = {};
    items.forEach(function (item) {
      if (!item.visible) { return; }
      item.direct.forEach(function (area) { counts[area] = (counts[area] || 0) + 1; });
    });
    return counts;
  }

  function setupTable() {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      wijkRows[row.getAttribute("data-wijk")] = {
        row: row,
        km2: parseFloat(row.getAttribute("data-km2")),
        count: row.querySelector("[data-kaart-aantal]"),
        density: row.querySelector("[data-kaart-dichtheid]")
      };
    });
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, column) {
      var kind = header.getAttribute("data-sorteer");
      if (!kind) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = header.textContent;
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortTable();
        announce("Gesorteerd op " + button.textContent.toLowerCase() + ", " + (ascending ? "van laag naar hoog" : "van hoog naar laag"));
      });
    });
  }

  function sortTable() {
    var headers = table.tHead.rows[0].cells;
    var column = 2;
    var ascending = true;
    Array.prototype.forEach.call(headers, function (header, index) {
      var sort = header.getAttribute("aria-sort");
      if (sort) { column = index; ascending = sort === "ascending"; }
    });
    var numeric = headers[column].getAttribute("data-sorteer") === "getal";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    function value(row, index) { return row.cells[index].getAttribute("data-waarde") || ""; }
    rows.sort(function (a, b) {
      var order = numeric ? parseFloat(value(a, column)) - parseFloat(value(b, column))
        : value(a, column).localeCompare(value(b, column), "nl");
      if (!ascending) { order = -order; }
      return order || value(a, 0).localeCompare(value(b, 0), "nl");
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function refreshTable(counts) {
    var empty = 0;
    Object.keys(wijkRows).forEach(function (id) {
      var entry = wijkRows[id];
      var n = counts[data.gebieden.indexOf(id)] || 0;
      var density = entry.km2 > 0 ? n / entry.km2 : 0;
      entry.count.setAttribute("data-waarde", String(n));
      entry.count.textContent = String(n);
      if (n === 0) {
        empty += 1;
        var nothing = document.createElement("span");
        nothing.className = "kaart-niets";
        nothing.textContent = "(niets)";
        entry.count.appendChild(document.createTextNode(" "));
        entry.count.appendChild(nothing);
      }
      entry.density.setAttribute("data-waarde", String(density));
      entry.density.textContent = numberNl(density, 1);
      entry.row.classList.toggle("is-leeg", n === 0);
    });
    sortTable();
    emptyStatus.textContent = (empty === 1 ? "1 wijk heeft" : empty + " wijken hebben") + " nog geen berichten." +
      (empty ? " Ze staan bovenaan." : "");
  }

  function refreshUnplaced() {
    var byArea = {};
    var citywide = 0;
    var total = 0;
    items.forEach(function (item) {
      if (!item.visible || item.lat !== null) { return; }
      total += 1;
      if (item.citywide) { citywide += 1; return; }
      item.closure.forEach(function (area) { byArea[data.gebieden[area]] = (byArea[data.gebieden[area]] || 0) + 1; });
    });
    Array.prototype.forEach.call(unplacedList.children, function (line) {
      var city = line.hasAttribute("data-stad");
      var n = city ? citywide : (byArea[line.getAttribute("data-gebied")] || 0);
      line.hidden = n === 0;
      line.textContent = plural(n, "bericht", "berichten") + " zonder adres " + (city ? "voor heel " : "in ") + line.getAttribute("data-naam");
    });
    allPlaced.hidden = total !== 0;
  }

  function refresh(shown) {
    var placed = 0;
    items.forEach(function (item) { if (item.visible && item.lat !== null) { placed += 1; } });
    explanation.textContent = placed + " van de " + plural(shown, "bericht", "berichten") +
      (placed === 1 ? " heeft een adres en staat" : " hebben een adres en staan") + " op de kaart.";
    var counts = wijkCounts();
    refreshTable(counts);
    refreshUnplaced();
    if (map) { map.refresh(counts); }
  }

  // --- the interactive map ----------------------------------------------------------------

  function InteractiveMap(boundaries) {
    var L = window.L;
    var place = root.querySelector("[data-kaart-plek]");
    var drawing = root.querySelector("[data-kaart-tekening]");
    var controls = root.querySelector("[data-kaart-bediening]");
    var legend = root.querySelector("[data-kaart-legenda]");
    var colourLegend = root.querySelector("[data-kaart-kleuren]");
    var self = this;
    var shapes = {};
    var features = {};
    var mode = "";
    var metric = {};
    var breaks = [];
    var lastVisible = null;
    var opener = null;
    var detailFiles = {};

    place.hidden = false;
    drawing.hidden = true;
    controls.hidden = false;
    legend.hidden = false;

    var leaflet = L.map(place, {
      zoomControl: false, attributionControl: false, keyboard: true, zoomSnap: 0.25, zoomDelta: 0.5,
      minZoom: 9, maxZoom: 18, closePopupOnClick: true
    });
    L.control.zoom({ zoomInTitle: "Inzoomen", zoomOutTitle: "Uitzoomen" }).addTo(leaflet);

    var levels = { stadsdeel: [], gebied: [], wijk: [] };
    boundaries.features.forEach(function (feature) {
      features[feature.id] = feature;
      if (levels[feature.properties.niveau]) { levels[feature.properties.niveau].push(feature); }
    });

    function styleOf(feature) {
      var style = { color: "#7b8a97", weight: 0.8, fillColor: PLAIN_FILL, fillOpacity: 1 };
      if (!mode) { return style; }
      var value = metric[feature.id] || 0;
      style.fillColor = value === 0 ? EMPTY_FILL : CLASS_COLOURS[classOf(value)];
      return style;
    }

    var hover = L.tooltip({ direction: "top", offset: [0, -8], className: "kaart-wijk-tip" });

    function tooltipOf(layer) {
      var feature = layer.feature;
      var n = self.counts[data.gebieden.indexOf(feature.id)] || 0;
      var density = feature.properties.km2 > 0 ? n / feature.properties.km2 : 0;
      return feature.properties.naam + ": " + plural(n, "bericht", "berichten") + " (" + numberNl(density, 1) + " per km²)";
    }

    var wijkLayer = L.geoJSON({ type: "FeatureCollection", features: levels.wijk }, {
      style: styleOf,
      onEachFeature: function (feature, layer) {
        shapes[feature.id] = layer;
        layer.on("click", function () { zoomFromClick(feature.id); });
        // one tooltip for the mouse; a bound tooltip would make each wijk a stop for Tab (the
        // "Ga naar" list and the table serve the keyboard)
        layer.on("mouseover mousemove", function (event) {
          hover.setLatLng(event.latlng).setContent(tooltipOf(layer));
          if (!leaflet.hasLayer(hover)) { hover.addTo(leaflet); }
        });
        layer.on("mouseout", function () { hover.remove(); });
      }
    });
    var city = wijkLayer.getBounds();
    leaflet.fitBounds(city, { padding: [12, 12] });
    leaflet.setMaxBounds(city.pad(0.6));
    var baseZoom = leaflet.getZoom();
    wijkLayer.addTo(leaflet);
    wijkLayer.eachLayer(function (layer) { layer.getElement().setAttribute("data-gebied", layer.feature.id); });
    [["gebied", "#4d5b66", 1.6], ["stadsdeel", "#1b1b1b", 3]].forEach(function (spec) {
      L.geoJSON({ type: "FeatureCollection", features: levels[spec[0]] }, {
        interactive: false,
        style: { fill: false, color: spec[1], weight: spec[2] },
        onEachFeature: function (feature, layer) { shapes[feature.id] = layer; }
      }).addTo(leaflet);
    });

    // names at the label points, a level at a time: the stadsdelen at first, the gebieden and
    // wijken when the map first zooms in far enough for them
    var labelled = {};
    function addLabels(level) {
      if (labelled[level]) { return; }
      labelled[level] = true;
      levels[level].forEach(function (feature) {
        var text = document.createElement("span");
        text.textContent = feature.properties.naam;
        var label = L.marker([feature.properties.label[1], feature.properties.label[0]], {
          icon: L.divIcon({ className: "kaart-label kaart-label-" + level, html: text, iconSize: null }),
          interactive: false, keyboard: false
        }).addTo(leaflet);
        label.getElement().setAttribute("aria-hidden", "true");
      });
    }

    function showLabels() {
      var above = leaflet.getZoom() - baseZoom;
      var level = above < 1.25 ? "stadsdeel" : above < 2.5 ? "gebied" : "wijk";
      addLabels(level);
      ["stadsdeel", "gebied", "wijk"].forEach(function (each) { place.classList.toggle("kaart-toon-" + each, each === level); });
    }
    // where the map looks, on the element (for people's tools and the tests)
    function showView() {
      var centre = leaflet.getCenter();
      place.setAttribute("data-kaart-zoom", leaflet.getZoom().toFixed(2));
      place.setAttribute("data-kaart-midden", centre.lat.toFixed(5) + "," + centre.lng.toFixed(5));
    }
    leaflet.on("zoomend", showLabels);
    leaflet.on("moveend", showView);
    showLabels();
    showView();

    // zoom: a click on the map zooms to the stadsdeel, then the gebied, then the wijk
    function parentsOf(id) {
      var chain = [];
      var at = features[id] ? features[id].properties.ouder : null;
      while (at && features[at]) { chain.push(at); at = features[at].properties.ouder; }
      return chain;
    }

    function fits(id) {
      return leaflet.getZoom() >= leaflet.getBoundsZoom(shapes[id].getBounds()) - 0.3;
    }

    function zoomFromClick(wijk) {
      var chain = parentsOf(wijk).reverse();  // stadsdeel first
      chain.push(wijk);
      var target = chain[chain.length - 1];
      for (var i = 0; i < chain.length; i += 1) {
        if (!fits(chain[i])) { target = chain[i]; break; }
      }
      self.zoomTo(target);
    }

    this.zoomTo = function (id) {
      if (!id || !shapes[id]) {
        leaflet.fitBounds(city, { padding: [12, 12] });
        announce("De hele kaart");
        return;
      }
      leaflet.fitBounds(shapes[id].getBounds(), { padding: [12, 12] });
      announce("Ingezoomd op " + features[id].properties.naam);
    };

    var choose = controls.querySelector("[data-kaart-ga-naar]");
    choose.addEventListener("change", function () { self.zoomTo(choose.value); });

    // markers
    var icons = data.soorten.map(function (kind, position) {
      return L.divIcon({ className: "kaart-punt kaart-soort-" + position, iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10] });
    });

    function clusterIcon(group) {
      var n = group.getChildCount();
      var size = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 46 : 52;
      var content = document.createElement("span");
      var number = document.createElement("span");
      number.textContent = String(n);
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " berichten. Kies om in te zoomen.";
      content.appendChild(number);
      content.appendChild(hidden);
      return L.divIcon({ html: content, className: "kaart-groep", iconSize: L.point(size, size) });
    }

    // markers are added in steps of a few milliseconds (chunkedLoading), so thousands of them
    // never block the page; a filter change while they are being added waits for the end
    var adding = false;
    var waiting = false;
    var groups = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon,
      chunkedLoading: true, chunkInterval: 10, chunkDelay: 0,
      chunkProgress: function (done, total) { if (done === total) { window.setTimeout(markersAdded, 0); } }
    });
    leaflet.addLayer(groups);

    function titleOf(item) {
      var where = item.wijk !== null ? " in " + data.gebiedsnamen[item.wijk] : "";
      return data.soortnamen[item.kind] + where;
    }

    function details(index) {
      var file = Math.floor(index / data.per_bestand);
      if (!detailFiles[file]) { detailFiles[file] = getJson(root.getAttribute("data-details") + file + ".json"); }
      return detailFiles[file].then(function (rows) { return rows[index % data.per_bestand]; });
    }

    function popupOf(item) {
      var box = document.createElement("div");
      box.className = "kaart-popup";
      var kind = document.createElement("p");
      kind.className = "kaart-popup-soort";
      kind.textContent = data.soortnamen[item.kind];
      var heading = document.createElement("h3");
      var link = document.createElement("a");
      link.textContent = "Even laden…";
      heading.appendChild(link);
      var summary = document.createElement("p");
      box.appendChild(kind);
      box.appendChild(heading);
      box.appendChild(summary);
      details(item.index).then(function (row) {
        link.textContent = row[0];
        link.href = row[2];
        summary.textContent = row[1];
        item.marker.options.title = row[0] + " (" + data.soortnamen[item.kind].toLowerCase() + ")";
        if (box.isConnected && opener) { link.focus(); }
      }, function () {
        link.textContent = "Dit bericht kon niet geladen worden.";
      });
      return box;
    }

    items.forEach(function (item) {
      if (item.lat === null) { return; }
      item.marker = L.marker([item.lat, item.lon], { icon: icons[item.kind], keyboard: true, title: titleOf(item) });
      item.marker.kaartIndex = item.index;
    });

    // one popup for every marker, opened from the group's events (a popup bound to each of
    // thousands of markers costs time before the first render)
    var popup = L.popup({ maxWidth: 300, autoPanPadding: [24, 24], offset: [0, -6] });
    function openPopup(marker, byKeyboard) {
      opener = byKeyboard ? marker : null;
      popup.setLatLng(marker.getLatLng()).setContent(popupOf(items[marker.kaartIndex])).openOn(leaflet);
    }
    groups.on("click", function (event) { openPopup(event.layer, false); });
    groups.on("keypress", function (event) {
      if (event.originalEvent && event.originalEvent.keyCode === 13) { openPopup(event.layer, true); }
    });

    var popupOpen = false;
    leaflet.on("popupopen", function (event) {
      popupOpen = true;
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", "Sluiten");
        close.setAttribute("title", "Sluiten");
      }
    });
    leaflet.on("popupclose", function () {
      popupOpen = false;
      var back = opener && opener.getElement();
      opener = null;
      if (back && back.isConnected) { back.focus(); }
    });
    place.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && popupOpen) {
        event.preventDefault();
        leaflet.closePopup();
      }
    });
    // a group opened with the keyboard zooms in and disappears: keep the focus in the map
    groups.on("clusterkeypress", function (event) {
      if (event.originalEvent && event.originalEvent.keyCode === 13) {
        leaflet.once("moveend", function () { place.focus(); });
      }
    });

    var readyOnce = false;
    function ready() {
      if (readyOnce) { return; }
      readyOnce = true;
      root.setAttribute("data-kaart-klaar", "");
      mark("kaart-klaar");
    }

    // colouring of the wijken
    function classOf(value) {
      for (var i = 0; i < breaks.length; i += 1) {
        if (value <= breaks[i]) { return i; }
      }
      return CLASS_COLOURS.length - 1;
    }

    function computeClasses() {
      metric = {};
      var values = [];
      levels.wijk.forEach(function (feature) {
        var n = self.counts[data.gebieden.indexOf(feature.id)] || 0;
        var value = mode === "dichtheid" ? (feature.properties.km2 > 0 ? n / feature.properties.km2 : 0) : n;
        metric[feature.id] = value;
        if (value > 0) { values.push(value); }
      });
      values.sort(function (a, b) { return a - b; });
      breaks = [];
      for (var i = 1; i < CLASS_COLOURS.length; i += 1) {
        var at = values[Math.min(values.length - 1, Math.ceil(values.length * i / CLASS_COLOURS.length) - 1)];
        if (at !== undefined && breaks.indexOf(at) === -1) { breaks.push(at); }
      }
      return values;
    }

    function showColourLegend(values) {
      colourLegend.hidden = !mode;
      if (!mode) { return; }
      var list = colourLegend.querySelector("[data-kaart-kleuren-lijst]");
      colourLegend.querySelector("[data-kaart-kleuren-titel]").textContent =
        mode === "dichtheid" ? "Berichten per km² in de wijk" : "Berichten in de wijk";
      list.textContent = "";
      var decimals = mode === "dichtheid" ? 2 : 0;
      function line(className, text) {
        var item = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "kaart-vlak " + className;
        swatch.setAttribute("aria-hidden", "true");
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(" " + text));
        list.appendChild(item);
      }
      line("kaart-vlak-leeg", "Geen berichten (gestreept)");
      // one line per class that holds a wijk: its lowest and highest value
      var classes = {};
      values.forEach(function (value) {
        var at = classOf(value);
        classes[at] = classes[at] || [value, value];
        classes[at][1] = value;
      });
      Object.keys(classes).sort().forEach(function (at) {
        var from = numberNl(classes[at][0], decimals);
        var to = numberNl(classes[at][1], decimals);
        line("kaart-vlak-" + at, from === to ? from : from + " tot en met " + to);
      });
    }

    function restyle() {
      var values = computeClasses();
      wijkLayer.setStyle(styleOf);
      showColourLegend(values);
    }

    Array.prototype.forEach.call(controls.querySelectorAll("input[name=kleur]"), function (input) {
      input.addEventListener("change", function () {
        if (!input.checked) { return; }
        mode = input.value;
        restyle();
        announce(mode ? "De wijken hebben nu een kleur" : "De wijken hebben geen kleur meer");
      });
    });

    function markersAdded() {
      adding = false;
      // drawn: after the frame that shows the markers
      window.requestAnimationFrame(function () { window.setTimeout(ready, 0); });
      if (waiting) {
        waiting = false;
        self.refresh(self.counts);
      }
    }

    this.counts = {};
    this.refresh = function (counts) {
      self.counts = counts;
      if (adding) {
        waiting = true;
        restyle();
        return;
      }
      var visible = items.map(function (item) { return item.visible ? "1" : "0"; }).join("");
      if (visible !== lastVisible) {
        lastVisible = visible;
        leaflet.closePopup();
        groups.clearLayers();
        var markers = [];
        items.forEach(function (item) { if (item.visible && item.marker) { markers.push(item.marker); } });
        mark("kaart-markers");
        adding = true;
        groups.addLayers(markers);
      }
      restyle();
    };

    // #gebied=<id> (the locator's link "what else is near") zooms to that area
    function followHash() {
      var wanted = /^#gebied=([a-z0-9-]+)$/.exec(window.location.hash);
      if (wanted && shapes[wanted[1]]) { self.zoomTo(wanted[1]); }
    }
    window.addEventListener("hashchange", followHash);
    followHash();
  }

  // --- start --------------------------------------------------------------------------------

  function mark(name) {
    if (window.performance && performance.mark) { performance.mark(name); }
  }

  // The page as built shows every entry (counts, table, lists): the filters go over the
  // items only once one is chosen (filters.js's options.load), so a visit without a filter
  // costs no pass over thousands of points.
  function start() {
    return window.WijknetFilters.attach(root, null, {
      help: "Kies een of meer filters. De kaart en de tabel veranderen meteen.",
      keepClosed: true,  // the groups start closed (the page sets filters_closed): nothing moves
      load: loadItems,
      show: function (item, visible) { item.visible = visible; },
      done: function (shown) { if (shown !== null) { refresh(shown); } }
    });
  }

  // The filters and the table at once; the points, the boundaries and Leaflet when the map
  // comes near the screen, each part in a task of its own. When Leaflet cannot be loaded the
  // drawing stays, and the filters, the table and the lists work as before.
  setupTable();
  start();
  mark("kaart-filters");
  whenNear(root.querySelector("[data-kaart-tekening]")).then(function () {
    return Promise.all([getJson(root.getAttribute("data-grenzen")), loadLeaflet(), loadItems()]).catch(function (error) {
      if (window.console) { window.console.warn("De kaart kon niet geladen worden:", error.message); }
      return null;
    });
  }).then(function (loaded) {
    if (!loaded) { return; }
    mark("kaart-grenzen");
    return nextTask().then(function () {
      map = new InteractiveMap(loaded[0]);
      mark("kaart-lagen");
      return nextTask();
    }).then(function () {
      map.refresh(wijkCounts());
    });
  });
}());
