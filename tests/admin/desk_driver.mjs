// Runs theme/static/js/desk-files.js for the Python tests (tests/admin/desk.py).
// stdin: {"facts": ..., "today": "YYYY-MM-DD", "calls": [...]}; stdout: one result per call.
// A call: {"op": "read" | "write" | "edit" | "problems", "collection": name, ...} or
// {"op": "slug", "text": ...}. "edit" reads "text", sets "changes" (dotted key → value;
// null removes the key) and writes the file again, as Decap does with a saved form.
import * as YAML from "yaml";
import { deskFormats } from "../../theme/static/js/desk-files.js";

function setPath(data, path, value) {
  const keys = path.split(".");
  let node = data;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key];
  }
  const last = keys[keys.length - 1];
  if (value === null) delete node[last];
  else node[last] = value;
}

function run(desk, call) {
  if (call.op === "slug") return desk.slug(call.text);
  const format = desk.formats[call.collection];
  if (call.op === "read") return format.fromFile(call.text);
  if (call.op === "write") return format.toFile(call.data);
  if (call.op === "problems") return format.problems(call.data);
  if (call.op === "edit") {
    const data = format.fromFile(call.text);
    for (const [path, value] of Object.entries(call.changes)) setPath(data, path, value);
    return format.toFile(data);
  }
  throw new Error(`unknown op ${call.op}`);
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { facts, today, calls } = JSON.parse(input);
  const desk = deskFormats(YAML, facts, () => today);
  const results = calls.map((call) => {
    try {
      return { ok: run(desk, call) };
    } catch (error) {
      return { error: String(error.message) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
