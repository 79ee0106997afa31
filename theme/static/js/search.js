/* Site search on the zoeken page: lunr.js with the Dutch pipeline (lunr.nl.js), on the
 * term-sharded index (docs/search.md): the manifest when the search box gets focus, then
 * only the shards a query needs and the fragments of the results shown.
 *
 * The query side mirrors wijknet/search/query.py and wijknet/search/shards.py line for
 * line (the parity and differential tests run both): normalise, drop stop words, one clause
 * group per word, taxonomy phrases to tokens, rank by words covered, then score, then ref.
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
  // this file's own URL: the page starts it again as its search worker
  var SCRIPT_URL = typeof document !== "undefined" && document.currentScript ? document.currentScript.src : "";

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

  // A text as runs [text, marked]: the words whose stem is one of `terms` are marked.
  function segments(text, terms, stem) {
    var runs = [];
    var wordRun = new RegExp("([" + lunr.nl.wordCharacters + "0-9\\u0300-\\u036f]+)", "g");
    String(text).split(wordRun).forEach(function (part, position) {
      if (!part) return;
      var isWord = position % 2 === 1;
      var normal = isWord ? normalize(part) : "";
      runs.push([part, !!(isWord && normal && normal.indexOf(" ") === -1 && terms.indexOf(stem(normal)) !== -1)]);
    });
    return runs;
  }

  // What a result card shows: the entry's document and its title and summary as marked runs.
  function markedCard(doc, terms, stem) {
    return { doc: doc, title: segments(doc.title, terms, stem), summary: segments(doc.summary, terms, stem) };
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

  // Taxonomy phrases as stem sequences, and the clause groups of a query.
  function createPlanner(taxonomy, stem, textFields) {
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

    return { plan: plan };
  }

  // The clauses of a query, once each (a word's clause may repeat in another group), in
  // the order lunr gets them.
  function lunrClauses(groups) {
    var seen = {};
    var clauses = [];
    groups.forEach(function (group) {
      group.forEach(function (clause) {
        var key = clause.term + "\u0000" + clause.kind;
        if (seen[key]) return;
        seen[key] = true;
        clauses.push(clause);
      });
    });
    return clauses;
  }

  function lunrOptions(clause) {
    var options = { fields: clause.fields.slice(), boost: clause.boost, usePipeline: false };
    if (clause.kind === "prefix") options.wildcard = lunr.Query.wildcard.TRAILING;
    else if (clause.kind === "fuzzy") options.editDistance = 1;
    return options;
  }

  // Which word groups a match of an index term in a field covers, as a bit mask (bit i:
  // group i); the same for every result, so worked out once per term and field.
  function groupCover(groups) {
    var known = {};
    return function (term, name) {
      var key = term + "/" + name;
      if (known[key] === undefined) {
        var mask = 0;
        groups.forEach(function (group, i) {
          if (group.some(function (clause) { return clause.fields.indexOf(name) !== -1 && clauseMatches(clause, term); })) mask |= 1 << i;
        });
        known[key] = mask;
      }
      return known[key];
    };
  }

  function coveredGroups(groups, mask) {
    return groups.map(function (group, i) { return (mask & (1 << i)) !== 0; });
  }

  function compareHits(a, b) {
    return (b.coverage - a.coverage) ||
      (Math.floor(b.score * SCORE_SCALE + 0.5) - Math.floor(a.score * SCORE_SCALE + 0.5)) ||
      (parseInt(a.ref, 36) - parseInt(b.ref, 36));
  }

  // Every clause in one lunr query; rank by words covered, then score, then ref.
  function runLunr(index, groups) {
    var clauses = lunrClauses(groups);
    var results = index.query(function (query) {
      clauses.forEach(function (clause) { query.term(clause.term, lunrOptions(clause)); });
    });
    var covers = groupCover(groups);
    var hits = results.map(function (result) {
      var mask = 0;
      var terms = [];
      var metadata = result.matchData.metadata;
      Object.keys(metadata).forEach(function (term) {
        Object.keys(metadata[term]).forEach(function (name) {
          mask |= covers(term, name);
          if (name !== TOKEN_FIELD && terms.indexOf(term) === -1) terms.push(term);
        });
      });
      terms.sort();
      var covered = coveredGroups(groups, mask);
      var coverage = covered.filter(Boolean).length;
      return { ref: result.ref, score: result.score, coverage: coverage, covered: covered, terms: terms };
    });
    hits.sort(compareHits);
    return hits;
  }

  function needsTypoPass(words, hits) {
    var best = hits.length ? hits[0].coverage : 0;
    return best < words.length && words.some(function (w) { return w.length >= FUZZY_MIN; });
  }

  // The complete index (index.json): the reference the sharded search is tested against.
  function createSearcher(serializedIndex, taxonomy) {
    var index = lunr.Index.load(serializedIndex);
    var stem = stemmer(index.pipeline);
    var textFields = index.fields.filter(function (name) { return name !== TOKEN_FIELD; });
    var planner = createPlanner(taxonomy, stem, textFields);

    function search(text, prefixLast) {
      if (prefixLast === undefined) prefixLast = true;
      var words = queryWords(text);
      var result = { words: words, hits: [], typo: false };
      if (!words.length) return result;
      try {
        var hits = runLunr(index, planner.plan(words, false, prefixLast));
        if (needsTypoPass(words, hits)) {
          var best = hits.length ? hits[0].coverage : 0;
          var fuzzyHits = runLunr(index, planner.plan(words, true, prefixLast));
          if (fuzzyHits.length && fuzzyHits[0].coverage > best) return { words: words, hits: fuzzyHits, typo: true };
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

  function stemmer(pipeline) {
    var cache = {};
    return function (word) {
      if (!Object.prototype.hasOwnProperty.call(cache, word)) cache[word] = pipeline.runString(word)[0];
      return cache[word];
    };
  }

  // --- the sharded index (mirrors wijknet/search/shards.py; formats in docs/search.md) ---

  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var MAX_EXACT = 9007199254740992; // 2^53: every integer below is a double

  // lunr's TokenSet.intersect keeps a word of the index when a path of the clause's token
  // set spells it, an edge "*" taking any character.
  function fuzzyAccepts(node, word, at) {
    if (at === word.length) return node.final;
    var next = node.edges[word.charAt(at)];
    if (next && fuzzyAccepts(next, word, at + 1)) return true;
    var star = node.edges["*"];
    return !!star && fuzzyAccepts(star, word, at + 1);
  }

  function readFrontCoded(text) {
    var terms = [];
    var previous = "";
    var lines = text.split("\n");
    for (var i = 0; i < lines.length - 1; i++) {
      var term = previous.slice(0, DIGITS.indexOf(lines[i].charAt(0))) + lines[i].slice(1);
      terms.push(term);
      previous = term;
    }
    return terms;
  }

  function bisectRight(sorted, value) {
    var low = 0, high = sorted.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (value < sorted[middle]) high = middle; else low = middle + 1;
    }
    return low;
  }

  function bisectLeft(sorted, value) {
    var low = 0, high = sorted.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (sorted[middle] < value) low = middle + 1; else high = middle;
    }
    return low;
  }

  // `terms`, the index terms a clause matches, in the order lunr's query expands the clause
  // to them (TokenSet.intersect(...).toArray()). That order depends only on those terms,
  // not on the rest of the index, so lunr's own intersection on a token set of just them
  // gives it.
  function inLunrOrder(clause, terms, fields) {
    var sorted = terms.slice().sort();
    if (sorted.length < 2) return sorted;
    var query = new lunr.Query(fields);
    query.term(clause.term, lunrOptions(clause));
    return lunr.TokenSet.fromArray(sorted).intersect(lunr.TokenSet.fromClause(query.clauses[0])).toArray();
  }

  // lunr's Index.prototype.query (2.3.9) for optional clauses, on the decoded postings of
  // the terms the clauses expand to, without building or loading an index: the same
  // results with the same scores, bit for bit, because every score is made of the same
  // floating-point operations in the same order (docs/search.md, "Scoring in the browser"):
  //
  // - a field's query vector: per expanded term and clause field, boost added at the
  //   term's _index; its magnitude the square root of the sum of squares in _index order;
  // - a document's dot product in a field: 0, plus query weight times field weight per
  //   term of the query vector that the document holds there, in _index order;
  // - its field score: dot / magnitude || 0; its score: the field scores added in the order
  //   in which lunr first matched the document in each field (clause by clause, expanded
  //   term by expanded term, field by field).
  //
  // The arrays below are one slot per entry and are reused by every query; `generation`
  // marks what the current query has written. `exactBelow` (2^53; a test lowers it) bounds
  // the sort keys that ranking may pack into one double.
  function createScorer(fields, documentCount, exactBelow) {
    if (exactBelow === undefined) exactBelow = MAX_EXACT;
    var slots = fields.length;
    var matchedIn = [], firstStep = [], dots = [];
    for (var slot = 0; slot < slots; slot++) {
      matchedIn.push(new Int32Array(documentCount));
      firstStep.push(new Int32Array(documentCount));
      dots.push(new Float64Array(documentCount));
    }
    var touchedIn = new Int32Array(documentCount), touched = new Int32Array(documentCount);
    var masks = new Int32Array(documentCount), termsNode = new Int32Array(documentCount);
    var scores = new Float64Array(documentCount), ranks = new Float64Array(documentCount);
    var sortKeys = new Float64Array(documentCount);
    var refs = new Array(documentCount).fill(null);
    var order = new Int32Array(slots);
    var generation = 0;

    // `clauses` in lunr's order, `expansions[i]` the entries clause i expands to in lunr's
    // order (entry: {term, index, fields: per field [positions, weights]}); `cover(term,
    // field)` the bit mask of the groups a match covers. Ranked hits, as runLunr gives.
    function score(groups, clauses, expansions, cover) {
      generation++;
      var count = 0;
      var vectors = fields.map(function () { return {}; });
      var textMatches = [];
      var done = {};
      var step = 0;
      clauses.forEach(function (clause, c) {
        expansions[c].forEach(function (entry) {
          clause.fields.forEach(function (name) {
            var slot = fields.indexOf(name);
            var element = vectors[slot][entry.index];
            if (element) element.weight = element.weight + clause.boost;
            else vectors[slot][entry.index] = { weight: clause.boost, entry: entry };
            var key = entry.term + "/" + name;
            if (done[key]) return;
            done[key] = true;
            step++;
            var mask = cover(entry.term, name);
            var positions = entry.fields[slot][0];
            var matched = matchedIn[slot], first = firstStep[slot], dot = dots[slot];
            for (var i = 0; i < positions.length; i++) {
              var position = positions[i];
              if (touchedIn[position] !== generation) {
                touchedIn[position] = generation;
                masks[position] = 0;
                termsNode[position] = 0;
                touched[count++] = position;
              }
              if (matched[position] !== generation) {
                matched[position] = generation;
                first[position] = step;
                dot[position] = 0;
              }
              masks[position] |= mask;
            }
            if (name !== TOKEN_FIELD) textMatches.push({ term: entry.term, positions: positions });
          });
        });
      });

      var magnitudes = vectors.map(function (vector, slot) {
        var indexes = Object.keys(vector).map(Number).sort(function (a, b) { return a - b; });
        var sumOfSquares = 0;
        var dot = dots[slot];
        indexes.forEach(function (index) {
          var element = vector[index];
          var weight = element.weight;
          sumOfSquares += weight * weight;
          var positions = element.entry.fields[slot][0], weights = element.entry.fields[slot][1];
          for (var i = 0; i < positions.length; i++) dot[positions[i]] += weight * weights[i];
        });
        return Math.sqrt(sumOfSquares);
      });

      // The text terms each entry matched, sorted: terms taken in sorted order, each entry
      // walks a tree of term lists (node 0: none), so entries with the same terms share one
      // (frozen) list instead of each building its own.
      textMatches.sort(function (a, b) { return a.term < b.term ? -1 : a.term > b.term ? 1 : 0; });
      var lists = [Object.freeze([])], children = [Object.create(null)];
      textMatches.forEach(function (match) {
        var term = match.term, positions = match.positions;
        for (var i = 0; i < positions.length; i++) {
          var node = termsNode[positions[i]];
          var list = lists[node];
          if (list[list.length - 1] === term) continue;
          var child = children[node][term];
          if (child === undefined) {
            child = children[node][term] = lists.length;
            lists.push(Object.freeze(list.concat([term])));
            children.push(Object.create(null));
          }
          termsNode[positions[i]] = child;
        }
      });

      // per group mask: how many groups, and which (one frozen array per mask, shared by the hits)
      var coverages = new Int32Array(1 << groups.length);
      var coveredOf = [];
      for (var mask = 0; mask < coverages.length; mask++) {
        for (var bits = mask; bits; bits &= bits - 1) coverages[mask]++;
      }
      var lowest = Infinity, highest = -Infinity;
      for (var t = 0; t < count; t++) {
        var position = touched[t];
        var matched = 0;
        for (var slot = 0; slot < slots; slot++) {
          if (matchedIn[slot][position] !== generation) continue;
          // insertion by the step of the first match
          var at = matched++;
          while (at > 0 && firstStep[order[at - 1]][position] > firstStep[slot][position]) { order[at] = order[at - 1]; at--; }
          order[at] = slot;
        }
        var total = 0;
        for (var k = 0; k < matched; k++) {
          var fieldScore = dots[order[k]][position] / magnitudes[order[k]] || 0;
          total = k === 0 ? fieldScore : total + fieldScore;
        }
        scores[position] = total;
        var rank = ranks[position] = Math.floor(total * SCORE_SCALE + 0.5);
        if (rank < lowest) lowest = rank;
        if (rank > highest) highest = rank;
      }
      var ranked = sortHits(count, lowest, highest, groups.length, coverages);
      // the hits, and the same in columns for the trip from the worker to the page
      // (packResult): list ids index `lists`, the term lists first, then the covered ones
      var columns = {
        positions: new Int32Array(count), scores: new Float64Array(count), coverages: new Int32Array(count),
        covered: new Int32Array(count), terms: new Int32Array(count), lists: lists
      };
      var coveredIds = [];
      var hits = new Array(count);
      for (var h = 0; h < count; h++) {
        var hit = ranked[h];
        var hitMask = masks[hit];
        if (!coveredOf[hitMask]) {
          coveredOf[hitMask] = Object.freeze(coveredGroups(groups, hitMask));
          coveredIds[hitMask] = lists.push(coveredOf[hitMask]) - 1;
        }
        hits[h] = { ref: refOf(hit), score: scores[hit], coverage: coverages[hitMask], covered: coveredOf[hitMask], terms: lists[termsNode[hit]] };
        columns.positions[h] = hit;
        columns.scores[h] = scores[hit];
        columns.coverages[h] = coverages[hitMask];
        columns.covered[h] = coveredIds[hitMask];
        columns.terms[h] = termsNode[hit];
      }
      Object.defineProperty(hits, "columns", { value: columns });
      return hits;
    }

    // The first `count` touched entries by words covered (most first), rank (highest
    // first), position: runLunr's order. As one number per entry and a numeric sort when
    // the three fit in a double exactly.
    function sortHits(count, lowest, highest, groupCount, coverages) {
      var positionsSpan = Math.pow(2, Math.ceil(Math.log2(documentCount + 1)));
      var ranksSpan = highest - lowest + 1;
      if (count < 2 || !((groupCount + 1) * ranksSpan * positionsSpan < exactBelow)) {
        return Array.prototype.slice.call(touched, 0, count).sort(function (a, b) {
          return (coverages[masks[b]] - coverages[masks[a]]) || (ranks[b] - ranks[a]) || (a - b);
        });
      }
      var keys = sortKeys.subarray(0, count);
      for (var i = 0; i < count; i++) {
        var position = touched[i];
        keys[i] = ((groupCount - coverages[masks[position]]) * ranksSpan + (highest - ranks[position])) * positionsSpan + position;
      }
      keys.sort();
      var ranked = touched.subarray(0, count);
      for (var j = 0; j < count; j++) ranked[j] = keys[j] % positionsSpan;
      return ranked;
    }

    function refOf(position) {
      return refs[position] || (refs[position] = position.toString(36));
    }

    return { score: score };
  }

  // The sharded files under the manifest at `manifestUrl`. Every file is fetched once (the
  // promise is kept), so typing on fetches only what is new; `fetched` lists the URLs. A
  // page that knows where the taxonomy is passes `taxonomyUrl`: it is then fetched together
  // with the manifest instead of after it.
  function createShardedSearcher(manifestUrl, taxonomyUrl) {
    var files = {};
    var fetched = [];
    var manifest = null, taxonomy = null, planner = null, stem = null, textFields = null;
    var starts = [], shardFiles = [], shardTerms = {}, dictionary = null;
    var expansions = {}, scorer = null;
    var ready = null;

    function file(name) {
      var url = new URL(name, manifestUrl).href;
      if (!files[url]) {
        fetched.push(url);
        files[url] = fetchJson(url);
        files[url].catch(function () { delete files[url]; });
      }
      return files[url];
    }

    function load() {
      if (!ready) {
        var early = taxonomyUrl ? file(taxonomyUrl) : null;
        ready = file(manifestUrl).then(function (loaded) {
          manifest = loaded;
          var number = 0;
          starts = [];
          shardFiles = [];
          manifest.shards.forEach(function (shard) {
            starts.push(shard[0]);
            shardFiles.push(shard.slice(1).map(function (digest) { return "t/" + (number++) + "." + digest + ".json"; }));
          });
          return early || file(manifest.taxonomy);
        }).then(function (loaded) {
          taxonomy = loaded;
          stem = stemmer(lunr.Pipeline.load(manifest.pipeline));
          textFields = manifest.fields.filter(function (name) { return name !== TOKEN_FIELD; });
          planner = createPlanner(taxonomy, stem, textFields);
          return api;
        });
        ready.catch(function () { ready = null; });
      }
      return ready;
    }

    // Files the page fetched already (url -> parsed JSON), so the searcher does not fetch them.
    function give(given) {
      Object.keys(given).forEach(function (url) {
        if (!files[url]) {
          fetched.push(url);
          files[url] = Promise.resolve(given[url]);
        }
      });
    }

    function shardOf(term) { return bisectRight(starts, term) - 1; }

    // term -> {term, index, parts}: a shard's terms, its files joined; a term's postings are
    // decoded only when a query needs them (see decoded)
    function loadShard(shard) {
      if (!shardTerms[shard]) {
        shardTerms[shard] = Promise.all(shardFiles[shard].map(file)).then(function (parts) {
          var terms = Object.create(null);  // terms such as "constructor" are keys too
          parts.forEach(function (part) {
            part.terms.forEach(function (item) {
              var entry = terms[item[0]];
              if (!entry) entry = terms[item[0]] = { term: item[0], index: item[1], parts: [], fields: null };
              entry.parts.push(item[2]);
            });
          });
          return terms;
        });
        shardTerms[shard].catch(function () { delete shardTerms[shard]; });
      }
      return shardTerms[shard];
    }

    // entry.fields: per field [positions, weights] (Int32Array, Float64Array): the gaps
    // turned into entry positions, the weights divided by scale (the same doubles as in
    // index.json); the parts of a split term follow each other in position order
    function decoded(entry) {
      if (!entry.fields) {
        var scale = manifest.scale;
        entry.fields = manifest.fields.map(function (name, slot) {
          var length = 0;
          entry.parts.forEach(function (perField) { length += perField[slot][0].length; });
          var positions = new Int32Array(length), weights = new Float64Array(length);
          var at = 0;
          entry.parts.forEach(function (perField) {
            var gaps = perField[slot][0], scaled = perField[slot][1];
            var position = -1;
            for (var i = 0; i < gaps.length; i++) {
              position += gaps[i] + 1;
              positions[at] = position;
              weights[at++] = scaled[i] / scale;
            }
          });
          return [positions, weights];
        });
        entry.parts = null;
      }
      return entry;
    }

    function loadDictionary() {
      if (!dictionary) {
        dictionary = file(manifest.dictionary).then(function (data) { return readFrontCoded(data.terms); });
        dictionary.catch(function () { dictionary = null; });
      }
      return dictionary;
    }

    // The index terms among `exact`, and every index term starting with one of `prefixes`.
    function termsFor(exact, prefixes) {
      var wanted = [];
      exact.forEach(function (term) {
        var shard = shardOf(term);
        wanted.push(loadShard(shard).then(function (terms) { return Object.prototype.hasOwnProperty.call(terms, term) ? [[term, terms[term]]] : []; }));
      });
      prefixes.forEach(function (prefix) {
        var last = bisectLeft(starts, prefix + "\uffff");
        for (var shard = shardOf(prefix); shard < last; shard++) {
          wanted.push(loadShard(shard).then(function (terms) {
            return Object.keys(terms).filter(function (term) { return term.lastIndexOf(prefix, 0) === 0; })
              .map(function (term) { return [term, terms[term]]; });
          }));
        }
      });
      return Promise.all(wanted).then(function (lists) {
        var found = Object.create(null);
        lists.forEach(function (list) { list.forEach(function (pair) { found[pair[0]] = decoded(pair[1]); }); });
        return found;
      });
    }

    // The entries of the index terms a clause expands to, in the order lunr's query takes
    // them (see inLunrOrder). Kept per clause: while someone types, only new clauses are
    // expanded.
    function expand(clause) {
      var key = clause.kind + "\u0000" + clause.term;
      if (!expansions[key]) {
        var found;
        if (clause.kind === "prefix") {
          found = termsFor([], [clause.term]);
        } else if (clause.kind === "fuzzy") {
          found = loadDictionary().then(function (dictionary) {
            var automaton = lunr.TokenSet.fromFuzzyString(clause.term, 1);
            return termsFor(dictionary.filter(function (candidate) { return fuzzyAccepts(automaton, candidate, 0); }), []);
          });
        } else {
          found = termsFor([clause.term], []);
        }
        expansions[key] = found.then(function (entries) {
          return inLunrOrder(clause, Object.keys(entries), manifest.fields).map(function (term) { return entries[term]; });
        });
        expansions[key].catch(function () { delete expansions[key]; });
      }
      return expansions[key];
    }

    function pass(words, fuzzy, prefixLast) {
      var groups = planner.plan(words, fuzzy, prefixLast);
      var clauses = lunrClauses(groups);
      return Promise.all(clauses.map(expand)).then(function (expanded) {
        if (!scorer) scorer = createScorer(manifest.fields, manifest.documents);
        return scorer.score(groups, clauses, expanded, groupCover(groups));
      });
    }

    function search(text, prefixLast) {
      if (prefixLast === undefined) prefixLast = true;
      return load().then(function () {
        var words = queryWords(text);
        var result = { words: words, hits: [], typo: false };
        if (!words.length) return result;
        return pass(words, false, prefixLast).then(function (hits) {
          result.hits = hits;
          if (!needsTypoPass(words, hits)) return result;
          return pass(words, true, prefixLast).then(function (fuzzyHits) {
            var best = hits.length ? hits[0].coverage : 0;
            if (fuzzyHits.length && fuzzyHits[0].coverage > best) return { words: words, hits: fuzzyHits, typo: true };
            return result;
          });
        });
      });
    }

    // The refs (as a set) whose field "c" holds the token of a taxonomy term: a filter.
    function tokenRefs(token) {
      return termsFor([token], []).then(function (found) {
        var refs = {};
        if (found[token]) found[token].fields[manifest.fields.indexOf(TOKEN_FIELD)][0].forEach(function (position) { refs[position.toString(36)] = true; });
        return refs;
      });
    }

    // The card of the entry with this ref, from its fragment.
    function card(ref) {
      var position = parseInt(ref, 36);
      var about = manifest.fragments;
      var number = Math.floor(position / about.size);
      return file("d/" + about.blocks[Math.floor(number / about.block)] + "/" + number + ".json").then(function (data) {
        return data.documents[position - data.first];
      });
    }

    var api = {
      load: load, give: give, search: search, tokenRefs: tokenRefs, card: card, fetched: fetched,
      stem: function (word) { return stem(word); },
      taxonomy: function () { return taxonomy; },
      pipeline: function () { return manifest.pipeline; },
      documentCount: function () { return manifest.documents; }
    };
    return api;
  }

  // --- the worker (docs/search.md, "No long tasks") ------------------------------------
  //
  // The page searches through a Web Worker that runs this same file: there the manifest,
  // the taxonomy (whose phrases are stemmed once), the shards and the term dictionary are
  // fetched and parsed, and lunr assembles and searches, so none of that blocks the page.
  // The page keeps only what it shows: the cards, the marks in them, the pages of results.
  // A message {id, type, args} gets {id, value} or {id, error}; the first message, "init",
  // names the libraries to import and the files to search.

  var WORKER_CALLS = {
    load: function (searcher, args) {
      if (args[0]) searcher.give(args[0]);
      return searcher.load().then(function () {
        return { taxonomy: searcher.taxonomy(), pipeline: searcher.pipeline(), documents: searcher.documentCount() };
      });
    },
    search: function (searcher, args) { return searcher.search(args[0], args[1]).then(packResult); },
    tokenRefs: function (searcher, args) { return searcher.tokenRefs(args[0]); },
    card: function (searcher, args) {
      return searcher.card(args[0]).then(function (doc) { return markedCard(doc, args[1] || [], searcher.stem); });
    }
  };

  // A search result crosses from the worker to the page in columns: typed arrays, and each
  // distinct list (of groups covered, of terms) once. Cloning tens of thousands of hit
  // objects took longer than the search itself; building them again on the page does not.
  // The scorer's hits carry their columns already (hits.columns); others are packed here.
  function packResult(result) {
    var sent = { words: result.words, typo: result.typo, packed: result.hits.columns || columnsOf(result.hits) };
    if (result.error !== undefined) sent.error = result.error;
    return sent;
  }

  function columnsOf(hits) {
    var count = hits.length;
    var columns = {
      positions: new Int32Array(count), scores: new Float64Array(count), coverages: new Int32Array(count),
      covered: new Int32Array(count), terms: new Int32Array(count), lists: []
    };
    var ids = new Map();
    function idOf(list) {
      var id = ids.get(list);
      if (id === undefined) { id = columns.lists.length; ids.set(list, id); columns.lists.push(list); }
      return id;
    }
    for (var i = 0; i < count; i++) {
      var hit = hits[i];
      columns.positions[i] = parseInt(hit.ref, 36);
      columns.scores[i] = hit.score;
      columns.coverages[i] = hit.coverage;
      columns.covered[i] = idOf(hit.covered);
      columns.terms[i] = idOf(hit.terms);
    }
    return columns;
  }

  function unpackResult(sent) {
    var packed = sent.packed;
    var count = packed.positions.length;
    var hits = new Array(count);
    for (var i = 0; i < count; i++) {
      hits[i] = {
        ref: packed.positions[i].toString(36), score: packed.scores[i], coverage: packed.coverages[i],
        covered: packed.lists[packed.covered[i]], terms: packed.lists[packed.terms[i]]
      };
    }
    var result = { words: sent.words, hits: hits, typo: sent.typo };
    if (sent.error !== undefined) result.error = sent.error;
    return result;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function serveInWorker(scope) {
    var searcher = null;
    scope.onmessage = function (event) {
      var message = event.data;
      if (message.type === "init") {
        scope.importScripts.apply(scope, message.scripts);
        searcher = createShardedSearcher(message.manifest, message.taxonomy);
        return;
      }
      var answer;
      try {
        answer = Promise.resolve(WORKER_CALLS[message.type](searcher, message.args || []));
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer.then(function (value) {
        scope.postMessage({ id: message.id, value: value });
      }, function (error) {
        scope.postMessage({ id: message.id, error: String(error && error.message || error) });
      });
    };
  }

  // The sharded searcher's API, answered by a worker running `workerUrl` (this file) with the
  // libraries `scripts`; `card(ref, terms)` gives the marked card. Should the worker fail to
  // start, the libraries are loaded into the page and the same searcher runs there.
  function createWorkerSearcher(workerUrl, scripts, manifestUrl, taxonomyUrl) {
    var worker = null, fallback = null;
    var pending = {}, next = 1;
    var ready = null, taxonomy = null, documents = 0;

    function inPage() {
      if (!fallback) {
        fallback = scripts.reduce(function (previous, src) {
          return previous.then(function () {
            return new Promise(function (resolve, reject) {
              var script = document.createElement("script");
              script.src = src;
              script.onload = resolve;
              script.onerror = reject;
              document.head.appendChild(script);
            });
          });
        }, Promise.resolve()).then(function () { return createShardedSearcher(manifestUrl, taxonomyUrl); });
      }
      return fallback;
    }

    function giveUp() {
      if (worker) worker.terminate();
      worker = null;
      inPage();
      var waiting = pending;
      pending = {};
      Object.keys(waiting).forEach(function (id) {
        var call = waiting[id];
        run(call.type, call.args).then(call.resolve, call.reject);
      });
    }

    // The worker with its code and libraries; nothing of the index (see load).
    function start() {
      if (worker || fallback) return;
      try {
        worker = new Worker(workerUrl);
      } catch (error) {
        worker = null;
        inPage();
        return;
      }
      worker.onmessage = function (event) {
        var call = pending[event.data.id];
        if (!call) return;
        delete pending[event.data.id];
        if (event.data.error) call.reject(new Error(event.data.error)); else call.resolve(event.data.value);
      };
      worker.onerror = function (event) {
        if (event && event.preventDefault) event.preventDefault();
        giveUp();
      };
      worker.postMessage({ type: "init", scripts: scripts, manifest: manifestUrl, taxonomy: taxonomyUrl });
    }

    function run(type, args) {
      start();
      if (fallback) return fallback.then(function (searcher) { return WORKER_CALLS[type](searcher, args); });
      return new Promise(function (resolve, reject) {
        var id = next++;
        pending[id] = { type: type, args: args, resolve: resolve, reject: reject };
        worker.postMessage({ id: id, type: type, args: args });
      });
    }

    // The worker (or the page's own searcher) may still be loading its libraries when the box
    // gets focus, and a worker reads no message before they are there. So the page fetches
    // the manifest and the taxonomy itself, at once, and hands them over: on a phone network
    // the first results do not wait a round trip behind the libraries. Should that fetch
    // fail, the searcher tries again itself.
    function handOver() {
      start();
      var urls = [manifestUrl, taxonomyUrl].filter(Boolean);
      return Promise.all(urls.map(fetchJson)).then(function (data) {
        var given = {};
        urls.forEach(function (url, i) { given[url] = data[i]; });
        return [given];
      }, function () { return []; });
    }

    function load() {
      if (!ready) {
        ready = handOver().then(function (args) { return run("load", args); }).then(function (about) {
          taxonomy = about.taxonomy;
          documents = about.documents;
          return api;
        });
        ready.catch(function () { ready = null; });
      }
      return ready;
    }

    var api = {
      load: load,
      warm: start,
      search: function (text, prefixLast) { return load().then(function () { return run("search", [text, prefixLast]); }).then(unpackResult); },
      tokenRefs: function (token) { return run("tokenRefs", [token]); },
      card: function (ref, terms) { return run("card", [ref, terms || []]); },
      taxonomy: function () { return taxonomy; },
      documentCount: function () { return documents; },
      inWorker: function () { return !!worker; }
    };
    return api;
  }

  // --- the page ------------------------------------------------------------------------

  var FILTER_VOCABULARY = { soort: "kinds", thema: "themes", gebied: "areas" };

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

  function highlighted(runs) {
    var fragment = document.createDocumentFragment();
    runs.forEach(function (run) {
      if (run[1]) {
        var mark = document.createElement("mark");
        mark.textContent = run[0];
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(run[0]));
      }
    });
    return fragment;
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The result card: the same markup as partials/entry_card.html, plus the words it was found on.
  function renderCard(marked, hit, words, taxonomy) {
    var doc = marked.doc;
    var item = document.createElement("li");
    var card = element("article", "card card-" + doc.kind + (doc.state ? " card-" + doc.state : ""));
    var title = element("h2", "card-title");
    var link = document.createElement("a");
    link.href = doc.url;
    link.appendChild(highlighted(marked.title));
    title.appendChild(link);
    card.appendChild(title);
    var meta = element("p", "card-meta");
    meta.appendChild(element("span", "badge badge-" + doc.kind, taxonomy.kinds[doc.kind] ? taxonomy.kinds[doc.kind].label : doc.kind));
    if (doc.state) meta.appendChild(element("span", "badge badge-state", doc.state.charAt(0).toUpperCase() + doc.state.slice(1)));
    if (doc.when) {
      var when = element("span", "card-when");
      var time = element("time", "", doc.when.text);
      time.setAttribute("datetime", doc.when.start);
      when.appendChild(time);
      meta.appendChild(when);
    }
    meta.appendChild(element("span", "card-areas", doc.areas.map(function (id) {
      return taxonomy.areas[id] ? taxonomy.areas[id].label : id;
    }).join(", ")));
    card.appendChild(meta);
    var summary = element("p", "card-summary");
    summary.appendChild(highlighted(marked.summary));
    card.appendChild(summary);
    if (hit && hit.covered && words.length) {
      var found = words.filter(function (word, i) { return hit.covered[i]; });
      var missing = words.filter(function (word, i) { return !hit.covered[i]; });
      var line = element("p", "card-matched" + (missing.length ? " muted" : ""));
      line.appendChild(document.createTextNode("Gevonden op: "));
      found.forEach(function (word, i) {
        if (i) line.appendChild(document.createTextNode(", "));
        line.appendChild(element("strong", "", word));
      });
      line.appendChild(document.createTextNode(missing.length ? ". Niet op: " + missing.join(", ") + "." : "."));
      card.appendChild(line);
    }
    item.appendChild(card);
    return item;
  }

  function initPage(form) {
    var input = form.querySelector("input[name=q]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = document.getElementById("zoek-status");
    var list = document.getElementById("zoek-resultaten");
    var pages = document.getElementById("zoek-paginas");
    var suggestions = document.getElementById("zoek-suggesties");
    var notice = document.getElementById("zoeken-zonder-js");
    if (notice) notice.hidden = true;
    form.hidden = false;

    var manifestUrl = new URL(form.dataset.manifest, location.href).href;
    var taxonomyUrl = new URL(form.dataset.taxonomy, location.href).href;
    var libraries = (form.dataset.libraries || "").split(" ").filter(Boolean).map(function (src) {
      return new URL(src, location.href).href;
    });
    // the search runs in a worker (this file again); without one, in the page
    var searcher = createWorkerSearcher(SCRIPT_URL, libraries, manifestUrl, taxonomyUrl);
    var page = 1;
    var timer = null;
    var generation = 0;

    function load() {
      return searcher.load().catch(function () {
        status.textContent = "Zoeken lukt nu niet. Probeer het later nog eens, of kies hieronder een thema of gebied.";
        if (notice) notice.hidden = false;
        return null;
      });
    }

    function state() {
      var filters = {};
      selects.forEach(function (select) { if (select.value) filters[select.name] = select.value; });
      return { q: input.value, filters: filters, page: page };
    }

    function queryString(current, pageNumber) {
      var params = new URLSearchParams();
      if (current.q.trim()) params.set("q", current.q.trim());
      Object.keys(current.filters).sort().forEach(function (name) { params.set(name, current.filters[name]); });
      if (pageNumber > 1) params.set("pagina", String(pageNumber));
      var query = params.toString();
      return location.pathname + (query ? "?" + query : "");
    }

    // The refs that pass every filter (null without filters), from the tokens' postings.
    function filterSets(filters) {
      var names = Object.keys(filters);
      if (!names.length) return Promise.resolve(null);
      var taxonomy = searcher.taxonomy();
      return Promise.all(names.map(function (name) {
        var term = taxonomy[FILTER_VOCABULARY[name]][filters[name]];
        return term ? searcher.tokenRefs(term.token) : Promise.resolve({});
      }));
    }

    function showSuggestions(words) {
      suggestions.textContent = "";
      var found = words.length ? suggestTerms(words, searcher.taxonomy()) : [];
      suggestions.hidden = !found.length;
      if (!found.length) return;
      suggestions.appendChild(element("p", "", "Misschien zoek je een van deze thema's of gebieden:"));
      var ul = element("ul", "term-links");
      found.forEach(function (term) {
        var li = document.createElement("li");
        var a = element("a", "", term.label);
        a.href = term.url;
        li.appendChild(a);
        ul.appendChild(li);
      });
      suggestions.appendChild(ul);
    }

    function pageLink(current, number, label, className) {
      var a = element("a", className || "");
      a.href = queryString(current, number);
      a.dataset.pagina = String(number);
      if (className) {
        a.textContent = label;
        a.rel = number < current.page ? "prev" : "next";
      } else {
        a.appendChild(element("span", "visually-hidden", "Pagina "));
        a.appendChild(document.createTextNode(String(number)));
        if (number === current.page) a.setAttribute("aria-current", "page");
      }
      return a;
    }

    // "Bekijk alle N": every page of 20 results, as in the site's own pagination.
    function renderPages(current, count) {
      pages.textContent = "";
      var last = Math.ceil(count / PAGE_SIZE);
      pages.hidden = last <= 1;
      if (last <= 1) return;
      pages.appendChild(element("p", "pagination-note", "Bekijk alle " + count + " resultaten, " + PAGE_SIZE + " per pagina:"));
      if (current.page > 1) pages.appendChild(pageLink(current, current.page - 1, "Vorige pagina", "pagination-step"));
      var ul = element("ul", "pagination-pages");
      var numbers = {};
      [1, current.page - 2, current.page - 1, current.page, current.page + 1, current.page + 2, last].forEach(function (n) {
        if (n >= 1 && n <= last) numbers[n] = true;
      });
      var previous = 0;
      Object.keys(numbers).map(Number).sort(function (a, b) { return a - b; }).forEach(function (n) {
        if (previous && n > previous + 1) {
          var gap = element("li", "", "…");
          gap.setAttribute("aria-hidden", "true");
          ul.appendChild(gap);
        }
        var li = document.createElement("li");
        li.appendChild(pageLink(current, n));
        ul.appendChild(li);
        previous = n;
      });
      pages.appendChild(ul);
      if (current.page < last) pages.appendChild(pageLink(current, current.page + 1, "Volgende pagina", "pagination-step"));
    }

    function render(focusResults) {
      var current = state();
      var mine = ++generation;
      history.replaceState(null, "", queryString(current, current.page));
      suggestions.hidden = true;
      var hasFilter = Object.keys(current.filters).length > 0;
      if (!current.q.trim() && !hasFilter) {
        list.removeAttribute("aria-busy");
        list.textContent = "";
        status.textContent = "";
        pages.hidden = true;
        return Promise.resolve();
      }
      var words = [];
      var typo = false;
      // until this page of results is complete, the list says it is still being filled
      list.setAttribute("aria-busy", "true");
      var searching = current.q.trim() ? searcher.search(current.q, true) : Promise.resolve(null);
      return Promise.all([searching, filterSets(current.filters)]).then(function (parts) {
        if (mine !== generation) return;
        var result = parts[0], sets = parts[1];
        var passes = function (ref) { return !sets || sets.every(function (set) { return set[ref]; }); };
        var hits;
        if (result) {
          words = result.words;
          typo = result.typo;
          hits = result.hits.filter(function (hit) { return passes(hit.ref); });
        } else {
          var refs = Object.keys(sets[0]).filter(passes);
          refs.sort(function (a, b) { return parseInt(a, 36) - parseInt(b, 36); });
          hits = refs.map(function (ref) { return { ref: ref, terms: [] }; });
        }
        var count = hits.length;
        var last = Math.max(1, Math.ceil(count / PAGE_SIZE));
        if (current.page > last) { page = current.page = last; history.replaceState(null, "", queryString(current, page)); }
        var message = count === 0 ? "Niets gevonden" : count === 1 ? "1 resultaat" : count + " resultaten";
        if (result && !words.length) message = "Typ een woord dat iets zegt, bijvoorbeeld 'taalcafé' of 'schulden'.";
        if (typo && count) message += " voor woorden die erop lijken";
        if (hasFilter && count === 0) message += " met deze filters";
        if (current.page > 1) message += ", pagina " + current.page + " van " + last;
        list.textContent = "";
        // the cards of this page, in order, each as soon as it and those before it are there
        var shown = hits.slice((current.page - 1) * PAGE_SIZE, current.page * PAGE_SIZE);
        var cards = shown.map(function (hit) { return searcher.card(hit.ref, hit.terms || []); });
        var taxonomy = searcher.taxonomy();
        return cards.reduce(function (previous, cardPromise, i) {
          return previous.then(function () { return cardPromise; }).then(function (marked) {
            if (mine !== generation) return;
            list.appendChild(renderCard(marked, shown[i], words, taxonomy));
          });
        }, Promise.resolve()).then(function () {
          if (mine !== generation) return;
          // the live region speaks once the page of results is there
          list.removeAttribute("aria-busy");
          status.textContent = message + ".";
          if (count === 0) showSuggestions(words);
          renderPages(current, count);
          if (focusResults === "first") {
            var link = list.querySelector("a");
            if (link) link.focus();
          }
        });
      }).catch(function () {
        if (mine !== generation) return;
        list.removeAttribute("aria-busy");
        status.textContent = "Zoeken lukt nu niet. Probeer het later nog eens, of kies hieronder een thema of gebied.";
        if (notice) notice.hidden = false;
      });
    }

    function schedule(delay, focusResults) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        load().then(function (loaded) {
          if (loaded) render(focusResults);
        });
      }, delay);
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", function () { page = 1; schedule(DEBOUNCE_MS); });
    selects.forEach(function (select) { select.addEventListener("change", function () { page = 1; schedule(0); }); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      page = 1;
      schedule(0);
      list.focus();
    });
    pages.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-pagina]");
      if (!link) return;
      event.preventDefault();
      page = parseInt(link.dataset.pagina, 10);
      clearTimeout(timer);
      load().then(function (loaded) { if (loaded) render("first"); });
    });

    var params = new URLSearchParams(location.search);
    if (params.get("q")) input.value = params.get("q");
    var requested = parseInt(params.get("pagina") || "1", 10);
    page = requested > 0 ? requested : 1;
    selects.forEach(function (select) {
      var value = params.get(select.name);
      if (value && select.querySelector('option[value="' + CSS.escape(value) + '"]')) select.value = value;
    });
    if (params.get("q") || selects.some(function (s) { return s.value; })) {
      load();
      schedule(0);
    } else {
      // The worker and its libraries (code, nothing of the index) start with the page, so a
      // first search on a slow connection waits only for the manifest, its shards and cards.
      searcher.warm();
    }
  }

  if (typeof document === "undefined") {
    // in the worker (see createWorkerSearcher)
    if (typeof importScripts === "function") serveInWorker(self);
    return;
  }

  window.wijknetSearch = {
    createSearcher: createSearcher,
    createShardedSearcher: createShardedSearcher,
    createWorkerSearcher: createWorkerSearcher,
    normalize: normalize,
    queryWords: queryWords,
    // for the tests that hold the scorer to lunr's own query
    internals: {
      createScorer: createScorer, runLunr: runLunr, lunrClauses: lunrClauses, groupCover: groupCover,
      inLunrOrder: inLunrOrder, fuzzyAccepts: fuzzyAccepts, BOOST: BOOST
    }
  };

  function start() {
    var form = document.getElementById("zoekformulier");
    if (form) initPage(form);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
