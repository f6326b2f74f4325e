// wink-nlp over the same files as bench_extract: readDoc, entities and sentences, one core.
// Measured as bench_extract is: the files' raw bytes (before decoding), the same rounds
// after one warm-up round, and the process's CPU seconds (user + system, all threads).
// Prints MB per CPU second and peak RSS. Run by bench/run.sh, which installs wink-nlp.
'use strict';
const fs = require('fs');
const path = require('path');
const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');

function walk(dir, out) {
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const p = path.join(dir, name);
    const st = fs.statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (name.endsWith('.txt')) out.push(fs.readFileSync(p));
  }
  return out;
}

const dir = process.argv[2];
const rounds = Number(process.argv[3] || 1);
if (!dir) {
  console.error('usage: node wink.js DIR [ROUNDS]');
  process.exit(2);
}
const raw = walk(dir, []);
const bytes = raw.reduce((n, b) => n + b.length, 0);   // raw bytes, as bench_extract counts
const docs = raw.map((b) => b.toString('utf8'));
const nlp = winkNLP(model);
const its = nlp.its;
let records = 0;
for (const d of docs) nlp.readDoc(d); // warm-up
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
for (let k = 0; k < rounds; k++) {
  for (const d of docs) {
    const doc = nlp.readDoc(d);
    records += doc.entities().out(its.value).length;
    records += doc.sentences().out().length;
  }
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const used = process.cpuUsage(cpu0);
const cpu = (used.user + used.system) / 1e6;
const mb = (bytes * rounds) / 1e6;
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`wink-nlp: ${docs.length} articles, ${(bytes / 1e6).toFixed(2)} MB x ${rounds} rounds in ${secs.toFixed(2)} s: ` +
  `${(mb / secs).toFixed(1)} MB/s, ${(docs.length * rounds / secs).toFixed(0)} articles/s, peak RSS ${rss.toFixed(1)} MiB`);
console.log(`wink-nlp: ${cpu.toFixed(2)} s of CPU: ${(mb / cpu).toFixed(1)} MB per CPU second`);
console.log(`MBPS ${(mb / cpu).toFixed(3)}`);
