/* The moderators' desk (admin/): how Decap CMS reads and writes our two kinds of files.
 *
 * An entry (content/initiatieven/<slug>.md) is YAML front matter plus a Markdown
 * description; a news article (content/nieuws/) is Pelican's "Key: value" lines plus
 * Markdown. Saving keeps every line whose value did not change, so changing one field
 * changes one line of the file. A new file is written the way wijknet's own writer
 * (wijknet/content/writer.py) writes one; the tests hold the two together.
 *
 * Which keys, their order, which hold numbers or moments, the per-kind rules and their
 * messages come from admin/desk.json ("facts"), generated from the models and the
 * taxonomy. No page and no clock in here ("today" is passed in): node runs this same
 * module in the tests. */

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
// The writer's rules for a text that needs no quotes. Python's \w knows every script,
// hence \p{L}\p{N}_ here; \u00C0-\u00FF is its À-ÿ.
const PLAIN = /^[A-Za-z0-9\u00C0-\u00FF][\p{L}\p{N}_ \u00C0-\u00FF.,'()/+@-]*$/u;
const LOOKS_TYPED = /^(~|null|true|false|yes|no|on|off|[-+]?[0-9][0-9_.:e+-]*)$/iu;
const DAY_OR_MOMENT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;
const NEWS_KEY = /^([A-Za-z][A-Za-z_-]*):\s*(.*)$/;

// --- values -------------------------------------------------------------------------------

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/* A value as the file should hold it: empty texts, lists and parts left out. */
export function clean(value) {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(clean).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (isObject(value)) {
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      const kept = clean(item);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  return value;
}

/* The same value for comparing: numbers and texts alike, keys in one order. */
function comparable(value) {
  if (Array.isArray(value)) return value.map(comparable);
  if (isObject(value)) {
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = comparable(value[key]);
    return out;
  }
  return value === undefined ? undefined : String(value);
}

function sameValue(a, b) {
  return JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));
}

function asList(value) {
  if (Array.isArray(value)) return value;
  return typeof value === "string" && value ? [value] : [];
}

function join(path, key) {
  return path ? `${path}.${key}` : key;
}

function orderedKeys(object, order) {
  const known = order.filter((key) => Object.prototype.hasOwnProperty.call(object, key));
  return known.concat(Object.keys(object).filter((key) => !order.includes(key)));
}

/* wijknet/content/writer.py's _moment: 2027-01-15T19:30:00 → 2027-01-15 19:30. */
function momentText(text) {
  const at = text.indexOf("T");
  if (at < 0) return text;
  const day = text.slice(0, at);
  const time = text.slice(at + 1);
  return time.endsWith(":00") && time.length === 8 ? `${day} ${time.slice(0, 5)}` : `${day} ${time}`;
}

// --- lines of a file ------------------------------------------------------------------------

function splitLines(text) {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const rest = bom ? text.slice(1) : text;
  return { bom, newline: rest.includes("\r\n") ? "\r\n" : "\n", lines: rest.split(/\r?\n/) };
}

function isDelimiter(line, marks) {
  return marks.includes(line.replace(/[\r ]+$/, ""));
}

function canonicalBody(text) {
  return String(text ?? "").replace(/\r\n/g, "\n").trim();
}

/* The formats, for one set of facts. ``YAML`` is the yaml package (2.x); ``today()``
 * gives the day in the city as YYYY-MM-DD. */
export function deskFormats(YAML, facts, today) {
  const hidden = facts.hidden;
  const entryFacts = facts.entry;
  const numbers = new Set(entryFacts.numbers);
  const moments = new Set(entryFacts.moments);

  // --- the writer's scalars and lines ------------------------------------------------------

  function scalar(path, value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(1) : String(value);
    let text = String(value);
    if (moments.has(path)) text = momentText(text);
    if (numbers.has(path) && NUMBER.test(text)) return text;
    if (DAY_OR_MOMENT.test(text)) return text;
    if (PLAIN.test(text) && !LOOKS_TYPED.test(text) && !text.includes(": ") && !text.includes(" #")) return text;
    return JSON.stringify(text); // a JSON string is a valid YAML double-quoted scalar
  }

  function render(path, key, value, indent) {
    if (isObject(value)) {
      const lines = [`${indent}${key}:`];
      for (const child of orderedKeys(value, entryFacts.order[path] || [])) {
        lines.push(...render(join(path, child), child, value[child], `${indent}  `));
      }
      return lines;
    }
    if (Array.isArray(value)) return [`${indent}${key}: [${value.map((item) => scalar(path, item)).join(", ")}]`];
    return [`${indent}${key}: ${scalar(path, value)}`];
  }

  /* What a key holds for the file: cleaned, and a model default (status: actief) left out. */
  function stored(path, key, value) {
    const kept = clean(value);
    if (!path && kept !== undefined && Object.prototype.hasOwnProperty.call(entryFacts.defaults, key)) {
      if (sameValue(kept, entryFacts.defaults[key])) return undefined;
    }
    return kept;
  }

  function fieldsOf(data, body) {
    const fields = {};
    for (const [key, value] of Object.entries(data)) {
      if (key === hidden || key === body) continue;
      const kept = stored("", key, value);
      if (kept !== undefined) fields[key] = kept;
    }
    return fields;
  }

  // --- reading an entry ---------------------------------------------------------------------

  function keyText(node) {
    return YAML.isScalar(node) ? String(node.value) : String(node);
  }

  function toData(node) {
    if (!node) return null;
    if (YAML.isMap(node)) {
      const out = {};
      for (const pair of node.items) out[keyText(pair.key)] = toData(pair.value);
      return out;
    }
    if (YAML.isSeq(node)) return node.items.map(toData);
    if (YAML.isScalar(node)) return node.type === "PLAIN" && NULLS.has(String(node.value)) ? null : String(node.value);
    return null;
  }

  function parseEntry(text) {
    const { bom, newline, lines } = splitLines(text);
    if (!lines.length || !isDelimiter(lines[0], ["---"])) {
      throw new Error("Dit bestand begint niet met een regel '---': open het op GitHub om het te herstellen.");
    }
    let close = -1;
    for (let i = 1; i < lines.length; i += 1) {
      if (isDelimiter(lines[i], ["---", "..."])) {
        close = i;
        break;
      }
    }
    if (close < 0) throw new Error("De velden van dit bestand zijn niet afgesloten met een regel '---'.");
    const front = lines.slice(1, close);
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(front.join("\n"), { schema: "failsafe", lineCounter, uniqueKeys: true });
    if (doc.errors.length) throw new Error(`De velden van dit bestand kunnen niet gelezen worden: ${doc.errors[0].message}`);
    if (!YAML.isMap(doc.contents)) throw new Error("Tussen de twee '---'-regels staan geen velden.");
    const line = (offset) => lineCounter.linePos(offset).line - 1;
    const column = (offset) => lineCounter.linePos(offset).col - 1;
    const tail = lines.slice(close + 1);
    return { bom, newline, lines, close, front, doc, line, column, tail, body: canonicalBody(tail.join("\n")) };
  }

  /* Where each key of a block map sits: its first and last line (0-based, in the front matter). */
  function segments(file, map) {
    return map.items.map((pair) => {
      const start = pair.key.range[0];
      const end = pair.value && pair.value.range ? pair.value.range[1] : pair.key.range[1];
      return { key: keyText(pair.key), node: pair.value, first: file.line(start), last: file.line(Math.max(end - 1, start)) };
    });
  }

  /* The list's views of an entry: its stadsdelen, its status, whether it is on the prikbord today. */
  function views(data) {
    const areas = facts.areas;
    const keys = entryFacts.views;
    const found = new Set(asList(data[keys.areas]).map((id) => areas.stadsdeelOf[id]).filter(Boolean));
    const stadsdeel = areas.order.filter((id) => found.has(id)).map((id) => areas.labels[id]).join(", ");
    const given = data[keys.status];
    const status = typeof given === "string" && given ? given : String(entryFacts.defaults[keys.status]);
    const [part, key] = keys.until;
    const until = isObject(data[part]) ? data[part][key] : null;
    const featured = typeof until === "string" && until >= today() && status !== keys.stopped;
    return { stadsdeel, status, prikbord: featured ? "ja" : "nee" };
  }

  function readEntry(text) {
    const file = parseEntry(text);
    const data = toData(file.doc.contents);
    data[entryFacts.body] = file.body;
    data[hidden] = { bron: text, ...views(data) };
    return data;
  }

  // --- writing an entry -----------------------------------------------------------------------

  /* The lines of one block map (lines ``from``..``to`` of the front matter) for ``after``,
   * given what it held (``before``): unchanged keys keep their lines. */
  function editMap(file, segs, before, after, path, indent, from, to) {
    const blocks = [{ key: null, lines: file.front.slice(from, segs.length ? segs[0].first : to + 1) }];
    segs.forEach((seg, index) => {
      const gapEnd = index + 1 < segs.length ? segs[index + 1].first : to + 1;
      const gap = file.front.slice(seg.last + 1, gapEnd);
      const old = stored(path, seg.key, before[seg.key]);
      const now = stored(path, seg.key, after[seg.key]);
      const keyPath = join(path, seg.key);
      let lines;
      if (sameValue(old, now)) {
        lines = file.front.slice(seg.first, seg.last + 1);
      } else if (now === undefined) {
        lines = [];
      } else if (YAML.isMap(seg.node) && !seg.node.flow && isObject(old) && isObject(now)) {
        const children = segments(file, seg.node);
        const childIndent = " ".repeat(file.column(seg.node.items[0].key.range[0]));
        lines = [file.front[seg.first], ...editMap(file, children, old, now, keyPath, childIndent, seg.first + 1, seg.last)];
      } else {
        lines = render(keyPath, seg.key, now, indent);
      }
      blocks.push({ key: seg.key, lines: lines.concat(gap) });
    });
    const order = entryFacts.order[path] || [];
    const rank = (key) => order.indexOf(key);
    const present = new Set(segs.map((seg) => seg.key));
    for (const key of orderedKeys(after, order)) {
      const now = stored(path, key, after[key]);
      if (present.has(key) || now === undefined) continue;
      let at = 1;
      blocks.forEach((block, index) => {
        if (block.key !== null && rank(block.key) < rank(key)) at = index + 1;
      });
      blocks.splice(at, 0, { key, lines: render(join(path, key), key, now, indent) });
    }
    return blocks.flatMap((block) => block.lines);
  }

  function newEntryText(fields, body) {
    const lines = [];
    for (const key of orderedKeys(fields, entryFacts.order[""])) lines.push(...render(key, key, fields[key], ""));
    return `---\n${lines.join("\n")}\n---\n${body ? `${body}\n` : ""}`;
  }

  function writeEntry(data) {
    const bodyKey = entryFacts.body;
    const fields = fieldsOf(data, bodyKey);
    const body = canonicalBody(data[bodyKey]);
    const source = isObject(data[hidden]) ? data[hidden].bron : undefined;
    if (typeof source !== "string") return newEntryText(fields, body);
    const file = parseEntry(source);
    const before = toData(file.doc.contents);
    const front = editMap(file, segments(file, file.doc.contents), before, fields, "", "", 0, file.front.length - 1);
    const tail = body === file.body ? file.tail : body ? [...body.split("\n"), ""] : [""];
    return file.bom + [file.lines[0], ...front, file.lines[file.close], ...tail].join(file.newline);
  }

  // --- news articles ----------------------------------------------------------------------------

  function parseNews(text) {
    const { bom, newline, lines } = splitLines(text);
    const entries = [];
    let index = 0;
    for (; index < lines.length; index += 1) {
      const line = lines[index];
      if (!line.trim()) break;
      const found = NEWS_KEY.exec(line);
      if (!found) {
        if (/^\s/.test(line) && entries.length) {
          entries[entries.length - 1].last = index; // a value continued on the next line
          continue;
        }
        break;
      }
      entries.push({ key: found[1].toLowerCase(), value: found[2].trim(), first: index, last: index });
    }
    const tail = lines.slice(index);
    return { bom, newline, lines, entries, end: index, tail, body: canonicalBody(tail.join("\n")) };
  }

  function newsLine(key, value) {
    const text = String(value).replace(/\s*[\r\n]+\s*/g, " ").trim();
    return `${key.charAt(0).toUpperCase()}${key.slice(1)}: ${text}`;
  }

  function readNews(text) {
    const file = parseNews(text);
    const data = {};
    for (const entry of file.entries) data[entry.key] = entry.value;
    data[facts.news.body] = file.body;
    data[hidden] = { bron: text };
    return data;
  }

  function writeNews(data) {
    const order = facts.news.order;
    const bodyKey = facts.news.body;
    const values = {};
    for (const [key, value] of Object.entries(data)) {
      const kept = key === hidden || key === bodyKey ? undefined : clean(value);
      if (kept !== undefined) values[key] = kept;
    }
    const body = canonicalBody(data[bodyKey]);
    const source = isObject(data[hidden]) ? data[hidden].bron : undefined;
    if (typeof source !== "string") {
      const lines = orderedKeys(values, order).map((key) => newsLine(key, values[key]));
      return `${lines.join("\n")}\n${body ? `\n${body}\n` : ""}`;
    }
    const file = parseNews(source);
    const blocks = [];
    const present = new Set();
    for (const entry of file.entries) {
      present.add(entry.key);
      const now = values[entry.key];
      let lines;
      if (sameValue(clean(entry.value), now)) lines = file.lines.slice(entry.first, entry.last + 1);
      else lines = now === undefined ? [] : [newsLine(entry.key, now)];
      blocks.push({ key: entry.key, lines });
    }
    for (const key of orderedKeys(values, order)) {
      if (present.has(key)) continue;
      let at = 0;
      blocks.forEach((block, index) => {
        if (order.indexOf(block.key) < order.indexOf(key)) at = index + 1;
      });
      blocks.splice(at, 0, { key, lines: [newsLine(key, values[key])] });
    }
    const meta = blocks.flatMap((block) => block.lines);
    const tail = body === file.body ? file.tail : body ? ["", ...body.split("\n"), ""] : [""];
    return file.bom + [...meta, ...tail].join(file.newline);
  }

  // --- checks before saving ------------------------------------------------------------------

  function message(code, params = {}) {
    const template = facts.messages[code] || code;
    return template.replace(/\{(\w+)\}/g, (_, name) => (params[name] !== undefined ? String(params[name]) : ""));
  }

  function momentKey(text, end) {
    const value = momentText(String(text));
    if (value.length === 10) return `${value} ${end ? "23:59:59" : "00:00:00"}`;
    return value.length === 16 ? `${value}:00` : value;
  }

  /* Every per-kind and per-part rule the entry breaks, as Dutch sentences. */
  function entryProblems(data) {
    const rules = facts.rules;
    const labels = entryFacts.labels;
    const value = (key) => stored("", key, data[key]);
    const kind = data[entryFacts.kindKey];
    const rule = rules.kinds[kind] || rules.other;
    const kindName = (facts.kinds[kind] || String(kind || "")).toLowerCase();
    const problems = [];
    const broken = new Set();
    for (const ruleKey of rules.keys) {
      const given = value(ruleKey.key);
      const filled = given !== undefined && ruleKey.needs.every((need) => isObject(given) && given[need] !== undefined);
      if (rule.required.includes(ruleKey.key) && ruleKey.requiredCode && !filled) {
        problems.push(message(ruleKey.requiredCode, { kind: kindName }));
        broken.add(ruleKey.key);
      }
      if (rule.forbidden.includes(ruleKey.key) && ruleKey.forbiddenCode && given !== undefined) {
        problems.push(message(ruleKey.forbiddenCode, { kind: kindName }));
        broken.add(ruleKey.key);
      }
    }
    for (const [part, needs] of Object.entries(rules.partNeeds)) {
      const given = value(part);
      if (!isObject(given) || broken.has(part)) continue;
      for (const need of needs) {
        if (given[need] === undefined) problems.push(`${labels[`${part}.${need}`] || need}: ${message("missing")}`);
      }
    }
    for (const [part, oneOf] of Object.entries(rules.oneOf)) {
      const given = value(part);
      if (isObject(given) && !oneOf.keys.some((key) => given[key] !== undefined)) problems.push(message(oneOf.code));
    }
    for (const [part, together] of Object.entries(rules.together)) {
      const given = value(part);
      if (!isObject(given)) continue;
      const count = together.keys.filter((key) => given[key] !== undefined).length;
      if (count && count < together.keys.length) problems.push(message(together.code));
    }
    const order = rules.whenOrder;
    const when = value(order.part);
    if (isObject(when) && when[order.start] !== undefined && when[order.end] !== undefined) {
      if (momentKey(when[order.end], true) < momentKey(when[order.start], false)) problems.push(message(order.code));
    }
    return problems;
  }

  /* wijknet/slugs.py's rule, cut to fit the slug's length with room for Decap's "-1". */
  function slug(text) {
    const letters = facts.slug.letters;
    const lowered = Array.from(String(text).toLowerCase(), (ch) => letters[ch] ?? ch).join("");
    const bare = lowered.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    let result = bare.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    const room = facts.slug.max - 4;
    if (result.length > room) result = result.slice(0, room).replace(/-+$/, "");
    return result;
  }

  const kinds = {
    entry: { fromFile: readEntry, toFile: writeEntry, problems: entryProblems },
    news: { fromFile: readNews, toFile: writeNews, problems: () => [] },
  };
  const formats = {};
  for (const [name, collection] of Object.entries(facts.collections)) formats[name] = kinds[collection.kind];

  return { formats, slug, message };
}
