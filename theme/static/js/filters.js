/* Filters of the overview and the map: turns the facet links into checkboxes that filter at
 * once. Within a group options combine with OR, between groups with AND. The state lives in
 * the URL (?thema=geld&stadsdeel=oost), so a filtered list can be shared and the back button
 * works; links marked data-filter-link (the overview's "Bekijk op de kaart", the map's "Bekijk
 * als lijst") carry it. Without this script every filter is a plain link to its facet page.
 *
 * A page passes its items to WijknetFilters.attach(root, items, options): each item has
 * `values` by group key (soort, thema, doelgroep, stadsdeel, wijk). options.show(item,
 * visible) is called per item and options.done(shown, active, matches) after each change
 * (matches: the items shown, in order). A page that loads its items later (the overview)
 * passes null and options.load, a function returning a promise of the items: the counts in
 * the page (those of all items) stand until a filter is chosen, then the items load.
 * options.keepClosed leaves every group as the page has it: open and closed groups would
 * otherwise move the page when the script starts. */
(function () {
  "use strict";

  var KEYS = ["soort", "thema", "doelgroep", "stadsdeel", "wijk"];

  function countText(number) {
    return number === 1 ? "1 bericht" : number + " berichten";
  }

  function attach(root, items, options) {
    options = options || {};
    var status = document.getElementById("filter-status");
    var noResults = root.querySelector("[data-no-results]");
    var help = root.querySelector("[data-nojs-help]");
    var slot = root.querySelector("[data-filter-actions]");
    var carriers = document.querySelectorAll("[data-filter-link]");
    var allText = status.textContent;
    var groups = [];
    var loading = null;

    function buildGroup(details) {
      var key = details.getAttribute("data-group");
      if (KEYS.indexOf(key) === -1) { return; }
      var links = details.querySelector(".filter-options");
      var summary = details.querySelector("summary");
      var chosenMark = details.querySelector("[data-chosen]");
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.className = "visually-hidden";
      legend.textContent = summary ? summary.firstChild.textContent : key;
      fieldset.appendChild(legend);
      var group = { key: key, details: details, chosenMark: chosenMark, options: [] };
      Array.prototype.forEach.call(links.querySelectorAll("a[data-value]"), function (link) {
        var value = link.getAttribute("data-value");
        var label = document.createElement("label");
        label.className = "filter-option";
        var input = document.createElement("input");
        input.type = "checkbox";
        input.name = key;
        input.value = value;
        input.id = "filter-" + key + "-" + value;
        var text = document.createElement("span");
        text.textContent = link.getAttribute("data-label") + " ";
        var count = document.createElement("span");
        count.className = "count";
        var known = link.querySelector(".count");
        count.textContent = known ? known.textContent : "";  // the page's count: of all items
        text.appendChild(count);
        label.appendChild(input);
        label.appendChild(text);
        fieldset.appendChild(label);
        input.addEventListener("change", function () { update(true); });
        group.options.push({ value: value, input: input, count: count, label: label });
      });
      links.parentNode.replaceChild(fieldset, links);
      groups.push(group);
    }

    function selection() {
      var chosen = {};
      groups.forEach(function (group) {
        chosen[group.key] = group.options.filter(function (o) { return o.input.checked; })
          .map(function (o) { return o.value; });
      });
      return chosen;
    }

    function queryOf(chosen) {
      var params = new URLSearchParams();
      groups.forEach(function (group) {
        chosen[group.key].forEach(function (value) { params.append(group.key, value); });
      });
      var query = params.toString();
      return query ? "?" + query : "";
    }

    function readQuery() {
      var params = new URLSearchParams(window.location.search);
      groups.forEach(function (group) {
        var wanted = params.getAll(group.key);
        group.options.forEach(function (o) { o.input.checked = wanted.indexOf(o.value) !== -1; });
        if (wanted.length && !options.keepClosed) { group.details.open = true; }
      });
    }

    // Groups with a choice the item does not meet (an empty list: the item is shown).
    function failedGroups(item, chosen) {
      return groups.filter(function (group) {
        var wanted = chosen[group.key];
        var values = item.values[group.key] || [];
        return wanted.length > 0 && !wanted.some(function (value) { return values.indexOf(value) !== -1; });
      });
    }

    // What does not wait for the items: the URL, the links that carry it, the marks.
    function showChoice(chosen, push) {
      var active = groups.some(function (group) { return chosen[group.key].length > 0; });
      var query = queryOf(chosen);
      clear.hidden = !active;
      groups.forEach(function (group) {
        var n = chosen[group.key].length;
        if (group.chosenMark) { group.chosenMark.textContent = n ? ": " + n + " gekozen" : ""; }
      });
      Array.prototype.forEach.call(carriers, function (link) {
        link.href = link.href.split(/[?#]/)[0] + query;
      });
      if (push) {
        var target = query || window.location.pathname;
        if (target !== window.location.search && !(target === window.location.pathname && !window.location.search)) {
          window.history.pushState({ filters: true }, "", target);
        }
      }
      return active;
    }

    function update(push) {
      var chosen = selection();
      var active = showChoice(chosen, push);
      if (!items) {
        if (!active) {
          // the page shows all items and their counts already
          status.textContent = allText;
          if (noResults) { noResults.hidden = true; }
          if (options.done) { options.done(null, false, null); }
          return;
        }
        status.textContent = "De berichten met deze filters worden geladen.";
        if (!loading) {
          loading = options.load().then(function (loaded) {
            items = loaded;
            update(false);
          }, function () {
            loading = null;
            status.textContent = "Filteren lukt nu niet. Kies een filter hieronder om naar de pagina met alleen die berichten te gaan.";
            if (options.failed) { options.failed(); }
          });
        }
        return;
      }
      var shown = 0;
      var matches = [];
      // One pass over the items. An option's count is the number of items with that value
      // that meet every other group's choice: the items shown, plus those that fail only
      // this option's own group.
      var counts = {};
      groups.forEach(function (group) { counts[group.key] = {}; });
      items.forEach(function (item) {
        var failed = failedGroups(item, chosen);
        var visible = failed.length === 0;
        if (options.show) { options.show(item, visible); }
        if (visible) { shown += 1; matches.push(item); }
        if (failed.length > 1) { return; }
        groups.forEach(function (group) {
          if (visible || failed[0] === group) {
            var tally = counts[group.key];
            (item.values[group.key] || []).forEach(function (value) { tally[value] = (tally[value] || 0) + 1; });
          }
        });
      });
      groups.forEach(function (group) {
        group.options.forEach(function (o) {
          var n = counts[group.key][o.value] || 0;
          o.count.textContent = "(" + n + ")";
          o.label.classList.toggle("is-empty", n === 0);
        });
      });
      status.textContent = active ? countText(shown) + " met deze filters" : countText(shown);
      if (noResults) { noResults.hidden = shown !== 0; }
      if (options.done) { options.done(shown, active, matches); }
    }

    Array.prototype.forEach.call(root.querySelectorAll(".filter-group"), buildGroup);

    var actions = slot || document.createElement("p");
    actions.className = "filter-actions";
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "secondary";
    clear.textContent = "Wis alle filters";
    clear.hidden = true;
    clear.addEventListener("click", function () {
      groups.forEach(function (group) { group.options.forEach(function (o) { o.input.checked = false; }); });
      update(true);
      status.focus();
    });
    actions.appendChild(clear);
    if (help) {
      help.textContent = options.help || "Kies een of meer filters. De lijst verandert meteen.";
      if (!slot) { help.parentNode.insertBefore(actions, help.nextSibling); }
    }
    status.setAttribute("tabindex", "-1");

    window.addEventListener("popstate", function () {
      readQuery();
      update(false);
    });

    readQuery();
    // On a phone the open groups would push the results far down: keep only used groups open.
    if (!options.keepClosed && window.matchMedia && window.matchMedia("(max-width: 56rem)").matches) {
      var chosen = selection();
      groups.forEach(function (group) { group.details.open = chosen[group.key].length > 0; });
    }
    update(false);
    return { selection: selection, update: update };
  }

  window.WijknetFilters = { attach: attach };
}());
