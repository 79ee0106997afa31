// Lighthouse over many pages in one Chromium: the runner behind benchmarks/lighthouse.py.
//
//   node benchmarks/lighthouse_runner.mjs [CHROMIUM]
//
// Starts one headless Chromium (Debian's /usr/bin/chromium unless CHROMIUM or
// $WIJKNET_CHROMIUM says otherwise), then reads one JSON request a line from stdin,
// {"name": ..., "url": ...} (optionally "save": a file for Lighthouse's whole JSON report),
// and answers each with one JSON line on stdout: the four category scores, the metrics, the transfer size and, per category, the audits that lose
// points. Lighthouse opens a new tab per page, with its storage and cache cleared, so every
// page is measured cold. The default configuration is the mobile preset with simulated
// throttling; only the screenshots, which no score uses, are left out. EOF stops Chromium.

import {writeFileSync} from 'node:fs';
import readline from 'node:readline';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const METRICS = {
  fcp: 'first-contentful-paint',
  lcp: 'largest-contentful-paint',
  tbt: 'total-blocking-time',
  cls: 'cumulative-layout-shift',
  si: 'speed-index',
  bytes: 'total-byte-weight',
};

const config = {
  extends: 'lighthouse:default',
  settings: {
    onlyCategories: CATEGORIES,
    skipAudits: ['screenshot-thumbnails', 'final-screenshot'],
    disableFullPageScreenshot: true,
  },
};

const chromePath = process.argv[2] || process.env.WIJKNET_CHROMIUM || '/usr/bin/chromium';
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  logLevel: 'silent',
});

function losing(lhr, category) {
  // the weighted audits of a category that scored below 1 (these cost the category points)
  const refs = lhr.categories[category]?.auditRefs || [];
  return refs
    .filter((ref) => ref.weight > 0)
    .map((ref) => ({ref, audit: lhr.audits[ref.id]}))
    .filter(({audit}) => audit && audit.score !== null && audit.score < 1)
    .map(({ref, audit}) => ({
      id: ref.id,
      score: audit.score,
      weight: ref.weight,
      value: audit.displayValue || '',
      items: (audit.details?.items || []).slice(0, 3).map(describeItem),
    }));
}

function describeItem(item) {
  // a short text for one failing element or resource, so a report can say where
  const node = item.node || item.relatedNode;
  if (node) return (node.selector || '') + (node.snippet ? ' ' + node.snippet.slice(0, 120) : '');
  if (item.url) return String(item.url);
  if (item.source?.url) return String(item.source.url);
  if (item.description) return String(item.description).slice(0, 160);
  return JSON.stringify(item).slice(0, 160);
}

function hints(lhr) {
  // performance opportunities with an estimated saving (they cost no points by themselves)
  return (lhr.categories.performance?.auditRefs || [])
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit && audit.score !== null && audit.score < 1)
    .filter((audit) => (audit.metricSavings && Object.values(audit.metricSavings).some((v) => v > 0))
      || audit.details?.overallSavingsMs > 0 || audit.details?.overallSavingsBytes > 0)
    .map((audit) => ({id: audit.id, value: audit.displayValue || ''}));
}

async function measure(request) {
  const result = await lighthouse(request.url, {port: chrome.port, output: 'json', logLevel: 'error'}, config);
  const lhr = result.lhr;
  if (request.save) writeFileSync(request.save, result.report);
  const scores = {};
  const failing = {};
  for (const category of CATEGORIES) {
    const score = lhr.categories[category]?.score;
    scores[category] = score === null || score === undefined ? null : Math.round(score * 100);
    failing[category] = losing(lhr, category);
  }
  const metrics = {};
  for (const [key, id] of Object.entries(METRICS)) metrics[key] = lhr.audits[id]?.numericValue ?? null;
  return {
    name: request.name,
    url: request.url,
    final_url: lhr.finalDisplayedUrl,
    scores,
    metrics,
    failing,
    hints: hints(lhr),
    runtime_error: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : null,
    warnings: lhr.runWarnings || [],
    lighthouse: lhr.lighthouseVersion,
    benchmark_index: lhr.environment?.benchmarkIndex ?? null,
    user_agent: lhr.environment?.hostUserAgent || '',
  };
}

const lines = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
try {
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    let answer;
    try {
      answer = await measure(request);
    } catch (error) {
      answer = {name: request.name, url: request.url, error: String(error?.stack || error)};
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
} finally {
  await chrome.kill();
}
