/* Site search on the zoeken page: lunr.js with the Dutch pipeline (lunr.nl.js).
 *
 * The query side mirrors wijknet/search/query.py line for line (the parity test runs
 * both on the same index): normalise, drop stop words, one clause group per word,
 * taxonomy phrases to tokens, rank by words covered, then score, then ref.
 * Untrusted text is only ever put in the page with textContent.
 */
(function () {
  "use strict";

  var MAX_WORDS = 8;
  var PREFIX_MIN = 3;
  var PHRASE_PREFIX_MIN = 3;
  var FUZZY_MIN = 5;
  var BOOST = { exact: 10, prefix: 3, fuzzy: 2, token: 1 };
  var SCORE_SCALE = 1000000;
  var TOKEN_FIELD = "c";
  var PAGE_SIZE = 20;
  var DEBOUNCE_MS = 150;

  // --- analysis (mirrors wijknet/search/analysis.py) -----------------------------------

  var nonWord = null;
  function normalize(text) {
    if (nonWord === null) nonWord = new RegExp("[^" + lunr.nl.wordCharacters + "0-9]+", "g");
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(nonWord, " ").trim();
  }

  function isStopWord(word) {
    return lunr.nl.stopWordFilter(word) === undefined;
  }

  function queryWords(text) {
    var words = [];
    normalize(text).split(" ").forEach(function (word) {
      if (word && !isStopWord(word) && words.indexOf(word) === -1) words.push(word);
    });
    return words.slice(0, MAX_WORDS);
  }

  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < Math.min(la, lb) && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    if (la > lb) return a.slice(i + 1) === b.slice(i);
    return a.slice(i) === b.slice(i + 1);
  }

  function clauseMatches(clause, term) {
    if (clause.kind === "prefix") return term.lastIndexOf(clause.term, 0) === 0;
    if (clause.kind === "fuzzy") return withinOneEdit(term, clause.term);
    return term === clause.term;
  }

  // --- the searcher (mirrors wijknet/search/query.py) ----------------------------------

  function createSearcher(serializedIndex, taxonomy) {
    var index = lunr.Index.load(serializedIndex);
    var stemCache = {};
    function stem(word) {
      if (!Object.prototype.hasOwnProperty.call(stemCache, word)) stemCache[word] = index.pipeline.runString(word)[0];
      return stemCache[word];
    }
    var textFields = index.fields.filter(function (name) { return name !== TOKEN_FIELD; });

    var phrases = [];
    Object.keys(taxonomy).sort().forEach(function (vocabulary) {
      Object.keys(taxonomy[vocabulary]).sort().forEach(function (termId) {
        var term = taxonomy[vocabulary][termId];
        term.phrases.forEach(function (phrase) {
          var stems = phrase.split(" ").filter(function (w) { return w && !isStopWord(w); }).map(stem);
          if (stems.length) phrases.push({ stems: stems, token: term.token });
        });
      });
    });

    function matchPhrases(stems, prefixLast, fuzzy) {
      var found = [];
      var last = stems.length - 1;
      for (var start = 0; start < stems.length; start++) {
        for (var p = 0; p < phrases.length; p++) {
          var phrase = phrases[p].stems;
          var end = start + phrase.length - 1;
          if (end > last) continue;
          var ok = true;
          for (var offset = 0; offset < phrase.length; offset++) {
            var queryStem = stems[start + offset];
            var s = phrase[offset];
            if (s === queryStem) continue;
            var atEnd = start + offset === end;
            if (atEnd && prefixLast && end === last && queryStem.length >= PHRASE_PREFIX_MIN && s.lastIndexOf(queryStem, 0) === 0) continue;
            if (fuzzy && phrase.length === 1 && queryStem.length >= FUZZY_MIN && withinOneEdit(s, queryStem)) continue;
            ok = false;
            break;
          }
          if (ok && !found.some(function (f) { return f[0] === start && f[1] === end && f[2] === phrases[p].token; })) {
            found.push([start, end, phrases[p].token]);
          }
        }
      }
      return found.filter(function (span) {
        return !found.some(function (other) {
          return other[0] <= span[0] && span[1] <= other[1] && other[1] - other[0] > span[1] - span[0];
        });
      });
    }

    function plan(words, fuzzy, prefixLast) {
      var stems = words.map(stem);
      var groups = words.map(function (word, position) {
        var group = [{ term: stems[position], kind: "exact", fields: textFields, boost: BOOST.exact }];
        if (prefixLast && position === words.length - 1 && word.length >= PREFIX_MIN) {
          group.push({ term: stems[position], kind: "prefix", fields: textFields, boost: BOOST.prefix });
        }
        if (fuzzy && word.length >= FUZZY_MIN) {
          group.push({ term: stems[position], kind: "fuzzy", fields: textFields, boost: BOOST.fuzzy });
        }
        return group;
      });
      matchPhrases(stems, prefixLast, fuzzy).forEach(function (span) {
        for (var position = span[0]; position <= span[1]; position++) {
          var group = groups[position];
          var exists = group.some(function (c) { return c.kind === "token" && c.term === span[2]; });
          if (!exists) group.push({ term: span[2], kind: "token", fields: [TOKEN_FIELD], boost: BOOST.token });
        }
      });
      return groups;
    }

    function runLunr(groups) {
      var results = index.query(function (query) {
        var seen = {};
        groups.forEach(function (group) {
          group.forEach(function (clause) {
            var key = clause.term + "\u0000" + clause.kind;
            if (seen[key]) return;
            seen[key] = true;
            var options = { fields: clause.fields.slice(), boost: clause.boost, usePipeline: false };
            if (clause.kind === "prefix") options.wildcard = lunr.Query.wildcard.TRAILING;
            else if (clause.kind === "fuzzy") options.editDistance = 1;
            query.term(clause.term, options);
          });
        });
      });
      var hits = results.map(function (result) {
        var matched = [];
        var metadata = result.matchData.metadata;
        Object.keys(metadata).forEach(function (term) {
          Object.keys(metadata[term]).forEach(function (name) { matched.push([term, name]); });
        });
        var coverage = 0;
        groups.forEach(function (group) {
          var ok = matched.some(function (pair) {
            return group.some(function (clause) {
              return clause.fields.indexOf(pair[1]) !== -1 && clauseMatches(clause, pair[0]);
            });
          });
          if (ok) coverage++;
        });
        var terms = [];
        matched.forEach(function (pair) {
          if (pair[1] !== TOKEN_FIELD && terms.indexOf(pair[0]) === -1) terms.push(pair[0]);
        });
        terms.sort();
        return { ref: result.ref, score: result.score, coverage: coverage, terms: terms };
      });
      hits.sort(function (a, b) {
        return (b.coverage - a.coverage) ||
          (Math.floor(b.score * SCORE_SCALE + 0.5) - Math.floor(a.score * SCORE_SCALE + 0.5)) ||
          (parseInt(a.ref, 36) - parseInt(b.ref, 36));
      });
      return hits;
    }

    function search(text, prefixLast) {
      if (prefixLast === undefined) prefixLast = true;
      var words = queryWords(text);
      var result = { words: words, hits: [], typo: false };
      if (!words.length) return result;
      try {
        var hits = runLunr(plan(words, false, prefixLast));
        var best = hits.length ? hits[0].coverage : 0;
        if (best < words.length && words.some(function (w) { return w.length >= FUZZY_MIN; })) {
          var fuzzyHits = runLunr(plan(words, true, prefixLast));
          if (fuzzyHits.length && fuzzyHits[0].coverage > best) {
            return { words: words, hits: fuzzyHits, typo: true };
          }
        }
        result.hits = hits;
      } catch (error) {
        // A query must never break the page; an unexpected lunr error means "no results".
        result.error = String(error);
      }
      return result;
    }

    return { search: search, stem: stem, index: index };
  }

  // --- the page ------------------------------------------------------------------------

  function areaClosure(areaIds, areas) {
    var closure = {};
    areaIds.forEach(function (id) {
      var current = id;
      while (current && !closure[current]) {
        closure[current] = true;
        current = areas[current] ? areas[current].parent : null;
      }
    });
    return closure;
  }

  function suggestTerms(words, taxonomy) {
    // Themes and areas whose label or synonym looks like a query word (for "nothing found").
    var found = [];
    ["themes", "areas", "audiences"].forEach(function (vocabulary) {
      var terms = taxonomy[vocabulary];
      Object.keys(terms).sort().forEach(function (id) {
        var term = terms[id];
        if (!term.url) return;
        var hit = term.phrases.some(function (phrase) {
          return phrase.split(" ").some(function (part) {
            return words.some(function (word) {
              if (word.length < 3 || part.length < 3) return false;
              if (part.lastIndexOf(word.slice(0, 4), 0) === 0 && word.length >= 4) return true;
              return word.length >= FUZZY_MIN && part.length >= FUZZY_MIN && withinOneEdit(part, word);
            });
          });
        });
        if (hit) found.push({ label: term.label, url: term.url, vocabulary: vocabulary });
      });
    });
    return found.slice(0, 8);
  }

  function highlighted(text, terms, stem) {
    // Split into word and non-word runs; mark the words whose stem matched.
    var fragment = document.createDocumentFragment();
    var wordRun = new RegExp("([" + lunr.nl.wordCharacters + "0-9\\u0300-\\u036f]+)", "g");
    String(text).split(wordRun).forEach(function (part, position) {
      if (!part) return;
      var isWord = position % 2 === 1;
      var normal = isWord ? normalize(part) : "";
      if (isWord && normal && normal.indexOf(" ") === -1 && terms.indexOf(stem(normal)) !== -1) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  function initPage(form) {
    var input = form.querySelector("input[name=q]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = document.getElementById("zoek-status");
    var list = document.getElementById("zoek-resultaten");
    var more = document.getElementById("zoek-meer");
    var suggestions = document.getElementById("zoek-suggesties");
    var notice = document.getElementById("zoeken-zonder-js");
    if (notice) notice.hidden = true;
    form.hidden = false;

    var data = null;
    var loading = null;
    var shown = PAGE_SIZE;
    var timer = null;
    var lastHits = [];

    function load() {
      if (loading) return loading;
      status.textContent = "Zoeken wordt geladen…";
      function get(url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error(url + ": " + response.status);
          return response.json();
        });
      }
      loading = Promise.all([get(form.dataset.index), get(form.dataset.documents), get(form.dataset.taxonomy)])
        .then(function (parts) {
          data = { searcher: createSearcher(parts[0], parts[2]), documents: parts[1], taxonomy: parts[2] };
          return data;
        })
        .catch(function () {
          status.textContent = "Zoeken lukt nu niet. Probeer het later nog eens, of kies hieronder een thema of gebied.";
          if (notice) notice.hidden = false;
          loading = null;
        });
      return loading;
    }

    function state() {
      var filters = {};
      selects.forEach(function (select) { if (select.value) filters[select.name] = select.value; });
      return { q: input.value, filters: filters };
    }

    function writeUrl(current) {
      var params = new URLSearchParams();
      if (current.q.trim()) params.set("q", current.q.trim());
      Object.keys(current.filters).sort().forEach(function (name) { params.set(name, current.filters[name]); });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    }

    function passes(doc, filters) {
      if (filters.soort && doc.kind !== filters.soort) return false;
      if (filters.thema && doc.themes.indexOf(filters.thema) === -1) return false;
      if (filters.gebied && !areaClosure(doc.areas, data.taxonomy.areas)[filters.gebied]) return false;
      return true;
    }

    function renderHit(hit, ref) {
      var doc = data.documents[ref];
      var taxonomy = data.taxonomy;
      var terms = hit ? hit.terms : [];
      var item = document.createElement("li");
      item.className = "card card-" + doc.kind;
      var title = document.createElement("h2");
      title.className = "card-title";
      var link = document.createElement("a");
      link.href = doc.url;
      link.appendChild(highlighted(doc.title, terms, data.searcher.stem));
      title.appendChild(link);
      item.appendChild(title);
      var meta = document.createElement("p");
      meta.className = "card-meta";
      var kind = document.createElement("span");
      kind.className = "badge badge-" + doc.kind;
      kind.textContent = taxonomy.kinds[doc.kind] ? taxonomy.kinds[doc.kind].label : doc.kind;
      meta.appendChild(kind);
      var places = document.createElement("span");
      places.textContent = doc.areas.map(function (id) {
        return taxonomy.areas[id] ? taxonomy.areas[id].label : id;
      }).join(", ");
      meta.appendChild(places);
      item.appendChild(meta);
      var summary = document.createElement("p");
      summary.className = "card-summary";
      summary.appendChild(highlighted(doc.summary, terms, data.searcher.stem));
      item.appendChild(summary);
      if (hit && hit.partial) {
        var partial = document.createElement("p");
        partial.className = "muted";
        partial.textContent = "Past op een deel van je zoekwoorden.";
        item.appendChild(partial);
      }
      return item;
    }

    function showSuggestions(words) {
      suggestions.textContent = "";
      var found = words.length ? suggestTerms(words, data.taxonomy) : [];
      suggestions.hidden = !found.length;
      if (!found.length) return;
      var text = document.createElement("p");
      text.textContent = "Misschien zoek je een van deze thema's of gebieden:";
      suggestions.appendChild(text);
      var ul = document.createElement("ul");
      ul.className = "term-links";
      found.forEach(function (term) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = term.url;
        a.textContent = term.label;
        li.appendChild(a);
        ul.appendChild(li);
      });
      suggestions.appendChild(ul);
    }

    function render() {
      var current = state();
      writeUrl(current);
      list.textContent = "";
      suggestions.hidden = true;
      var hasFilter = Object.keys(current.filters).length > 0;
      if (!current.q.trim() && !hasFilter) {
        status.textContent = "";
        more.hidden = true;
        return;
      }
      var result = { words: [], hits: [], typo: false };
      var refs;
      if (current.q.trim()) {
        result = data.searcher.search(current.q, true);
        var words = result.words.length;
        lastHits = result.hits.filter(function (hit) {
          hit.partial = hit.coverage < words;
          return passes(data.documents[hit.ref], current.filters);
        });
      } else {
        lastHits = Object.keys(data.documents)
          .sort(function (a, b) { return parseInt(a, 36) - parseInt(b, 36); })
          .filter(function (ref) { return passes(data.documents[ref], current.filters); })
          .map(function (ref) { return { ref: ref, terms: [], partial: false }; });
      }
      refs = lastHits.slice(0, shown);
      refs.forEach(function (hit) { list.appendChild(renderHit(hit, hit.ref)); });
      more.hidden = lastHits.length <= shown;
      var count = lastHits.length;
      var message = count === 0 ? "Niets gevonden" : count === 1 ? "1 resultaat" : count + " resultaten";
      if (current.q.trim() && !result.words.length) message = "Typ een woord dat iets zegt, bijvoorbeeld 'taalcafé' of 'schulden'.";
      if (result.typo && count) message += " voor woorden die erop lijken";
      if (hasFilter && count === 0) message += " met deze filters";
      status.textContent = message + ".";
      if (count === 0) showSuggestions(result.words);
    }

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        load().then(function (loaded) {
          if (!loaded) return;
          shown = PAGE_SIZE;
          render();
        });
      }, delay);
    }

    input.addEventListener("input", function () { schedule(DEBOUNCE_MS); });
    selects.forEach(function (select) { select.addEventListener("change", function () { schedule(0); }); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      schedule(0);
      list.focus();
    });
    more.addEventListener("click", function () {
      var first = shown;
      shown += PAGE_SIZE;
      render();
      var next = list.children[first];
      var link = next && next.querySelector("a");
      if (link) link.focus();
    });

    var params = new URLSearchParams(location.search);
    if (params.get("q")) input.value = params.get("q");
    selects.forEach(function (select) {
      var value = params.get(select.name);
      if (value && select.querySelector('option[value="' + CSS.escape(value) + '"]')) select.value = value;
    });
    if (params.get("q") || selects.some(function (s) { return s.value; })) schedule(0);
  }

  window.wijknetSearch = { createSearcher: createSearcher, normalize: normalize, queryWords: queryWords };

  function start() {
    var form = document.getElementById("zoekformulier");
    if (form) initPage(form);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
