/* The moderators' desk (admin/): starts Decap CMS with our way of reading and writing
 * files (desk-files.js) and our checks before a save.
 *
 * Decap's configuration is admin/config.yml, the facts this script needs admin/desk.json;
 * both are generated at build time from the content models, the rule table and the
 * taxonomy. Decap itself and the YAML library are served from our own files
 * (static/vendor/, copied from node_modules by the build). */

import * as YAML from "../vendor/yaml/browser/dist/index.js";
import { deskFormats } from "./desk-files.js";

const DECAP = new URL("../vendor/decap-cms/dist/decap-cms.js", import.meta.url);
const FACTS = new URL("desk.json", document.baseURI);

/* Today in the city (YYYY-MM-DD), for "op het prikbord". */
function todayIn(timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date());
  const part = (type) => parts.find((item) => item.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => reject(new Error(`${url} kon niet geladen worden`)));
    document.head.append(script);
  });
}

function showProblem(text) {
  const note = document.createElement("p");
  note.setAttribute("role", "alert");
  note.textContent = `De moderatie kan niet starten: ${text}`;
  document.body.prepend(note);
}

async function start() {
  const answer = await fetch(FACTS);
  if (!answer.ok) throw new Error(`${FACTS.pathname} ontbreekt (${answer.status})`);
  const facts = await answer.json();
  const desk = deskFormats(YAML, facts, () => todayIn(facts.timezone));
  window.CMS_MANUAL_INIT = true; // we register our formats before Decap reads anything
  await loadScript(DECAP);
  const CMS = window.CMS;
  for (const [name, collection] of Object.entries(facts.collections)) {
    const format = desk.formats[name];
    CMS.registerCustomFormat(collection.format, "md", { fromFile: format.fromFile, toFile: format.toFile });
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      const name = entry.get("collection");
      const data = entry.get("data");
      const problems = desk.formats[name] ? desk.formats[name].problems(data.toJS()) : [];
      let slug = null;
      if (entry.get("newRecord")) {
        slug = desk.slug(data.get(facts.collections[name].title) || "");
        if (slug.length < facts.slug.min) problems.push(desk.message("slug_impossible", { min: facts.slug.min }));
      }
      if (problems.length) throw new Error(problems.join(" "));
      return slug ? data.setIn([facts.hidden, "slug"], slug) : undefined;
    },
  });
  CMS.init();
}

start().catch((error) => showProblem(error.message));
