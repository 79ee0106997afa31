/* The submission form: checks with the server's own Dutch messages, a filter for the
 * areas, and sending without a page load. Without this script the form still works: it
 * posts to the submission service, which answers with an HTML page.
 * Configuration (fields, limits, per-kind rules, patterns, message templates, endpoint)
 * comes from the JSON block #formulier-config, generated at build time from the content
 * models and their rule table: no rule or pattern is written here. */
(function () {
  "use strict";

  var form = document.getElementById("formulier");
  var configNode = document.getElementById("formulier-config");
  if (!form || !configNode) return;
  var config = JSON.parse(configNode.textContent);
  var summary = document.getElementById("formulier-fouten");
  var result = document.getElementById("formulier-resultaat");
  var META = ["token", "sleutel", "homepage", "wijzig"];
  var TOKEN_CODES = ["token_missing", "token_invalid", "token_expired", "too_fast"];
  var MULTI = ["themas", "doelgroepen", "werkgebied"];
  var LIST_AS_TEXT = ["talen"];
  var fieldsByName = {};
  config.fields.forEach(function (f) { fieldsByName[f.name] = f; });

  function message(code, params) {
    var template = config.messages[code] || code;
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return params && params[key] !== undefined ? String(params[key]) : "";
    });
  }

  function randomKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function setHidden(name, value) {
    var input = form.elements.namedItem(name);
    if (input && !input.value) input.value = value;
  }

  setHidden("sleutel", randomKey());

  /* The service's form token: a page the service rendered carries one, the static page asks
   * for one. The service takes a post once its token is a few seconds old (the minimum fill
   * time) and until it expires; resolves to the seconds to wait before it can be used. */
  var tokenInput = form.elements.namedItem("token");
  var tokenUrl = form.getAttribute("data-token");

  function fetchToken() {
    if (!tokenInput || !tokenUrl) return Promise.reject(new Error("geen formuliercode"));
    return fetch(tokenUrl, { headers: { "Accept": "application/json" }, credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(new Error(String(response.status))); })
      .then(function (body) {
        tokenInput.value = body.token;
        return Number(body.wait_seconds) || 0;
      });
  }

  if (tokenInput && !tokenInput.value) fetchToken().catch(function () { /* asked again when sending */ });

  // --- reading the form ------------------------------------------------------------

  function fieldValue(name) {
    if (MULTI.indexOf(name) >= 0) {
      return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (input) {
        return input.checked;
      }).map(function (input) { return input.value; });
    }
    var element = form.elements.namedItem(name);
    if (!element) return "";
    if (element instanceof RadioNodeList) return element.value || "";
    return (element.value || "").trim();
  }

  /* The same nested shape as the content format (and as the server builds from a form). */
  function collect() {
    var data = {};
    Object.keys(fieldsByName).forEach(function (name) {
      var value = fieldValue(name);
      if (Array.isArray(value) ? value.length === 0 : value === "") return;
      var top = name.split(".")[0];
      var inner = name.split(".")[1];
      if (LIST_AS_TEXT.indexOf(name) >= 0) {
        value = value.split(/[\s,;]+/).filter(Boolean);
      }
      if (inner) {
        data[top] = data[top] || {};
        data[top][inner] = value;
      } else {
        data[name] = value;
      }
    });
    META.forEach(function (name) {
      var element = form.elements.namedItem(name);
      if (element && element.value) data[name] = element.value;
    });
    return data;
  }

  // --- checks (the rule table's; messages from the server's table) --------------------

  var PATTERNS = {};
  Object.keys(config.patterns).forEach(function (name) {
    PATTERNS[name] = { regex: new RegExp(config.patterns[name].regex), code: config.patterns[name].code };
  });

  // The character rule: the first refused character of a text and its name, or null.
  var REFUSED = new RegExp(config.characters.pattern, "u");

  function refusedCharacter(value) {
    var found = REFUSED.exec(value);
    if (!found) return null;
    var code = found[0].codePointAt(0);
    var hex = code.toString(16).toUpperCase();
    var name = "";
    config.characters.names.forEach(function (range) {
      if (range[0] <= code && code <= range[1]) name = range[2];
    });
    return { char: "U+" + ("0000" + hex).slice(-Math.max(4, hex.length)), name: name };
  }

  function checkPattern(name, f, value, errors) {
    var pattern = PATTERNS[f.pattern];
    if (!pattern.regex.test(value)) errors.push([name, message(pattern.code, { value: value })]);
  }

  function checkField(f, value, errors) {
    var name = f.name;
    var refused = [].concat(value).map(refusedCharacter).filter(Boolean)[0];
    if (refused) {
      errors.push([name, message("bad_character", { label: f.label, char: refused.char, name: refused.name })]);
      return;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) {
        if (f.required) errors.push([name, message("missing")]);
      } else if (f.min_items && value.length < f.min_items) {
        errors.push([name, message("too_short", { min_length: f.min_items })]);
      } else if (f.max_items && value.length > f.max_items) {
        errors.push([name, message("too_long", { max_length: f.max_items })]);
      }
      return;
    }
    if (value === "") {
      if (f.required) errors.push([name, message("missing")]);
      return;
    }
    if (name === "beschrijving" && f.max_length && value.length > f.max_length) {
      errors.push([name, message("description_too_long", { length: value.length, max: f.max_length })]);
      return;
    }
    if (f.min_length && value.length < f.min_length) {
      errors.push([name, message("string_too_short", { min_length: f.min_length })]);
    } else if (f.max_length && value.length > f.max_length) {
      errors.push([name, message("string_too_long", { max_length: f.max_length })]);
    } else if (f.pattern && LIST_AS_TEXT.indexOf(name) >= 0) {
      value.split(/[\s,;]+/).filter(Boolean).forEach(function (item) { checkPattern(name, f, item, errors); });
    } else if (f.pattern) {
      checkPattern(name, f, value, errors);
    } else if (f.widget !== "textarea" && /[\r\n]/.test(value)) {
      errors.push([name, message("one_line")]);
    }
  }

  /* Rules between the keys of one part: at least one of them, or all or none. */
  function checkPart(key, data, errors) {
    var part = data[key];
    if (part === undefined) return;
    var oneOf = config.oneOfRequired[key];
    if (oneOf && !oneOf.keys.some(function (inner) { return part[inner]; })) {
      errors.push([key, message(oneOf.code)]);
    }
    var together = config.together[key];
    if (together) {
      var given = together.keys.filter(function (inner) { return part[inner] !== undefined; }).length;
      if (given > 0 && given < together.keys.length) errors.push([key, message(together.code)]);
    }
  }

  function validate(data) {
    var errors = [];
    config.fields.forEach(function (f) { checkField(f, fieldValue(f.name), errors); });
    var kind = data.soort;
    var rule = kind ? config.kindRules[kind] || config.otherKindRule : { required: [], forbidden: [] };
    var checked = {};
    config.ruleKeys.forEach(function (ruleKey) {
      var key = ruleKey.key;
      var value = data[key];
      var present = value !== undefined;
      var filled = present && ruleKey.needs.every(function (inner) { return value[inner] !== undefined; });
      if (ruleKey.required && rule.required.indexOf(key) >= 0 && !filled) {
        errors.push([key, message(ruleKey.required, { kind: kind })]);
      } else if (ruleKey.forbidden && rule.forbidden.indexOf(key) >= 0 && present) {
        errors.push([key, message(ruleKey.forbidden, { kind: kind })]);
      }
      checkPart(key, data, errors);
      checked[key] = true;
    });
    Object.keys(config.oneOfRequired).concat(Object.keys(config.together)).forEach(function (key) {
      if (!checked[key]) checkPart(key, data, errors);
      checked[key] = true;
    });
    return errors;
  }

  // --- showing errors (the same markup the server renders) --------------------------

  function targetId(name) {
    var part = form.querySelector('[data-part="' + name + '"]');
    if (part) {
      var first = part.querySelector("input, textarea, select");
      return first ? first.id : part.id;
    }
    if (fieldsByName[name] && MULTI.indexOf(name) < 0 && fieldsByName[name].widget !== "radio") {
      return "veld-" + name.replace(".", "-");
    }
    var group = document.getElementById("veld-" + name.replace(".", "-") + "-0");
    return group ? group.id : "formulier";
  }

  function containerOf(name) {
    return form.querySelector('[data-part="' + name + '"]') || form.querySelector('[data-field="' + name + '"]');
  }

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (node) { node.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll(".has-error"), function (node) { node.classList.remove("has-error"); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (node) { node.removeAttribute("aria-invalid"); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-describedby]"), function (node) {
      var ids = node.getAttribute("aria-describedby").split(/\s+/).filter(function (id) { return !/-fout$/.test(id); });
      if (ids.length) node.setAttribute("aria-describedby", ids.join(" "));
      else node.removeAttribute("aria-describedby");
    });
    summary.hidden = true;
  }

  function showErrors(errors) {
    clearErrors();
    var byField = {};
    errors.forEach(function (pair) {
      var name = pair[0] || "";
      (byField[name] = byField[name] || []).push(pair[1]);
    });
    Object.keys(byField).forEach(function (name) {
      var container = containerOf(name);
      if (!container) return;
      var baseId = container.id && /^veld-/.test(container.id) ? container.id : "veld-" + name.replace(".", "-");
      var note = document.createElement("p");
      note.className = "field-error";
      note.id = baseId + "-fout";
      byField[name].forEach(function (text, index) {
        var span = document.createElement("span");
        span.textContent = text;
        if (index) note.appendChild(document.createTextNode(" "));
        note.appendChild(span);
      });
      var help = container.querySelector(".form-help");
      if (help && help.parentNode === container) help.after(note);
      else container.insertBefore(note, container.children[1] || null);
      container.classList.add("has-error");
      var control = container.matches("fieldset") ? container : container.querySelector("input, textarea");
      if (control) {
        var described = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        described.push(note.id);
        control.setAttribute("aria-describedby", described.join(" "));
        if (!control.matches("fieldset")) control.setAttribute("aria-invalid", "true");
      }
    });
    var list = summary.querySelector("ul");
    list.textContent = "";
    errors.forEach(function (pair) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + targetId(pair[0] || "");
      link.textContent = pair[1];
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.querySelector("h2").textContent = errors.length === 1
      ? "Er is 1 ding niet goed ingevuld"
      : "Er zijn " + errors.length + " dingen niet goed ingevuld";
    summary.hidden = false;
    summary.focus();
  }

  function showResult(title, parts) {
    form.hidden = true;
    summary.hidden = true;
    result.textContent = "";
    var heading = document.createElement("h2");
    heading.textContent = title;
    result.appendChild(heading);
    parts.forEach(function (node) { result.appendChild(node); });
    result.hidden = false;
    result.focus();
  }

  function paragraph(text, link, linkText, id) {
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(text));
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = linkText || link;
      if (id) a.id = id;
      p.appendChild(a);
    }
    return p;
  }

  // --- without a service: the file for GitHub's "new file" page --------------------

  function slugify(text) {
    return text.toLowerCase().replace(/ß/g, "ss").replace(/æ/g, "ae").replace(/ø/g, "o")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 76).replace(/-+$/, "") || "inzending";
  }

  var PLAIN = /^[A-Za-z0-9\u00C0-\u00FF][\p{L}\p{N}_ .,'()\/+@-]*$/u;
  var TYPED = /^(~|null|true|false|yes|no|on|off|[-+]?[0-9][0-9_.:e+-]*)$/i;

  function scalar(value) {
    var text = String(value);
    if (/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(text)) return text;
    if (PLAIN.test(text) && !TYPED.test(text) && text.indexOf(": ") < 0 && text.indexOf(" #") < 0) return text;
    // a JSON string is a YAML double-quoted scalar; YAML also reads U+2028, U+2029 and the
    // byte order mark in it differently, so those are escaped too
    return JSON.stringify(text).replace(/[\u2028\u2029\ufeff]/g, function (c) {
      return "\\u" + c.charCodeAt(0).toString(16);
    });
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function fileText(data) {
    var lines = ["---"];
    var front = {};
    Object.keys(data).forEach(function (key) { front[key] = data[key]; });
    front.gecontroleerd = today();
    config.keyOrder.forEach(function (key) {
      var value = front[key];
      if (value === undefined) return;
      if (Array.isArray(value)) {
        lines.push(key + ": [" + value.map(scalar).join(", ") + "]");
      } else if (typeof value === "object") {
        lines.push(key + ":");
        Object.keys(value).forEach(function (inner) {
          var text = value[inner];
          var numeric = key === "locatie" && (inner === "lat" || inner === "lon");
          lines.push("  " + inner + ": " + (numeric ? String(text).replace(",", ".") : scalar(text)));
        });
      } else {
        lines.push(key + ": " + scalar(value));
      }
    });
    lines.push("---");
    var body = (data.beschrijving || "").replace(/\r\n/g, "\n").replace(/^\n+|\n+$/g, "");
    return lines.join("\n") + "\n" + (body ? body + "\n" : "");
  }

  function gitHubStep(data) {
    var dir = config.contentDir;
    var branch = encodeURIComponent(config.branch);
    var base = "https://github.com/" + config.repository;
    var text = fileText(data);
    var filename = dir + "/" + slugify(data.titel || "") + ".md";
    var url = base + "/new/" + branch + "?filename=" + encodeURIComponent(filename) + "&value=" + encodeURIComponent(text);
    showResult("Nog één stap: zet je bestand op GitHub", [
      paragraph("Je aanmelding staat klaar. Open GitHub, kies onderaan 'Propose new file' en daarna 'Create pull request'. Daarvoor heb je een GitHub-account nodig."),
      paragraph("", url, "Open je aanmelding op GitHub", "github-link")
    ]);
  }

  // --- sending ------------------------------------------------------------------------

  /* After a refused token: wait until a young token may be used, or get a new one and wait
   * its minimum fill time; then send once more. */
  function sendAgain(data, answer, button) {
    var renewed = answer.body.code === "too_fast"
      ? Promise.resolve(Number(answer.retryAfter) || 1)
      : fetchToken();
    renewed.then(function (wait) {
      window.setTimeout(function () {
        data.token = tokenInput.value;
        send(data, true);
      }, wait * 1000);
    }).catch(function () {
      button.disabled = false;
      showErrors([["", "De inzending kon niet verstuurd worden. Laad de pagina opnieuw en probeer het nog eens."]]);
    });
  }

  function send(data, again) {
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    if (data.sleutel) headers["Idempotency-Key"] = data.sleutel;
    fetch(form.getAttribute("data-endpoint"), {
      method: "POST",
      headers: headers,
      body: JSON.stringify(data),
      credentials: "omit"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body, retryAfter: response.headers.get("Retry-After") };
      });
    }).then(function (answer) {
      if (answer.status === 403 && !again && tokenInput && TOKEN_CODES.indexOf(answer.body.code) >= 0) {
        sendAgain(data, answer, button);
        return;
      }
      button.disabled = false;
      if (answer.status === 202) {
        var body = answer.body;
        var link = body.url
          ? paragraph("Je voorstel: ", body.url, body.url, "inzending-link")
          : paragraph("Je voorstel staat klaar als " + body.branch + ".");
        showResult("Bedankt! We hebben je inzending ontvangen", [
          paragraph("De redactie bekijkt je inzending zo snel mogelijk. Het nummer van je inzending is " + body.id + "."),
          link
        ]);
        return;
      }
      var errors = (answer.body.errors || []).map(function (e) { return [e.field || "", e.message]; });
      if (!errors.length) errors = [["", "Er ging iets mis bij het versturen (" + answer.status + "). Probeer het later nog eens."]];
      showErrors(errors);
    }).catch(function () {
      button.disabled = false;
      showErrors([["", "De inzending kon niet verstuurd worden. Controleer je internetverbinding en probeer het nog eens."]]);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = collect();
    var errors = validate(data);
    if (errors.length) {
      showErrors(errors);
      return;
    }
    if (form.getAttribute("data-endpoint")) send(data);
    else gitHubStep(data);
  });

  // --- the area filter ------------------------------------------------------------------

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  Array.prototype.forEach.call(form.querySelectorAll(".form-areas"), function (fieldset) {
    var filter = fieldset.querySelector(".area-filter");
    var input = filter.querySelector("input");
    var status = filter.querySelector(".area-filter-status");
    filter.hidden = false;
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var found = 0;
      Array.prototype.forEach.call(fieldset.querySelectorAll(".area-group"), function (group) {
        var matches = 0;
        Array.prototype.forEach.call(group.querySelectorAll("li"), function (item) {
          var show = !query || fold(item.textContent).indexOf(query) >= 0;
          item.hidden = !show;
          if (show) matches += 1;
        });
        group.hidden = matches === 0;
        if (query) {
          group.open = matches > 0;
          found += matches;
        }
      });
      status.textContent = query ? (found === 1 ? "1 gebied gevonden" : found + " gebieden gevonden") : "";
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // Enter filters, it does not send the form
    });
  });
})();
