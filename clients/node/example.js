#!/usr/bin/env node
// Follows a running crossclaim-store the Clone way (docs/PROTOCOL.md): subscribe, wait for
// the first message, SNAPSHOT, apply the updates newer than it, catch up with SINCE (or a
// new SNAPSHOT) after a gap. The view it folds equals what `crossclaim export` prints.
//
//   cd clients/node && npm install        # zeromq, protobufjs
//   node example.js --data ../../crossclaim-data [--until-seq N] [--dump]
//
// Prints a line per conflict as it appears or changes; with --until-seq it stops once the
// view reaches that seq, and with --dump it then prints the view as JSON Lines (sorted),
// comparable with `crossclaim export | sort`.
"use strict";
const path = require("path");
const zmq = require("zeromq");
const protobuf = require("protobufjs");

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const data = path.resolve(opt("--data", "crossclaim-data"));
const feedEp = opt("--feed", `ipc://${data}/feed.ipc`);
const queryEp = opt("--query", `ipc://${data}/query.ipc`);
const untilSeq = opt("--until-seq") ? BigInt(opt("--until-seq")) : null;
const dump = args.includes("--dump");
const ALL = "article,attribution,quantity,entity,xref,story";

async function request(frames) {
  // One DEALER per request: replies stream until END, OK or ERR.
  const q = new zmq.Dealer({ linger: 0, receiveTimeout: 30000 });
  q.connect(queryEp);
  await q.send(frames);
  const out = [];
  try {
    for (;;) {
      const msg = await q.receive();
      out.push(msg);
      const head = msg[0].toString();
      if (head === "END" || head === "OK" || head === "ERR") return out;
    }
  } finally { q.close(); }
}

class View {
  constructor(Update) { this.Update = Update; this.records = new Map(); this.seq = 0n; }
  load(lines, seq) {
    this.records.clear();
    const count = new Map();
    for (const r of lines) {
      let key;
      if (r.type === "article" || r.type === "story") key = r.id;
      else if (r.type === "entity" || r.type === "xref") key = r.key;
      else {               // attribution, quantity: "<article>/<index>" as the feed keys them
        const c = `${r.type}\t${r.article}`;
        const n = count.get(c) || 0;
        count.set(c, n + 1);
        key = `${r.article}/${n}`;
      }
      this.records.set(`${r.type}\t${key}`, r);
    }
    this.seq = seq;
  }
  apply(topic, u) {
    const Op = this.Update.Op;
    const rec = u.json && u.json.length ? JSON.parse(Buffer.from(u.json).toString()) : {};
    if (u.kind === "claim" || (u.kind === "xref" && u.op === Op.PATCH)) {
      const x = this.records.get(`xref\t${u.key}`);
      if (!x) throw new Error(`delta for xref ${u.key}, not in the view`);
      if (u.kind === "claim") {
        const claims = x.claims.filter((c) => c.article !== u.article);
        if (u.op !== Op.DELETE) claims.push(...rec.claims);
        // stable sort: an article's own claims keep their order
        x.claims = claims.sort((a, b) => (a.article < b.article ? -1 : a.article > b.article ? 1 : 0));
      } else {
        for (const f of ["status", "sources", "evolving", "latest"]) x[f] = rec[f];
      }
    } else {
      const del = u.op === Op.DELETE || (u.op === 0 && (topic.startsWith("xref.deleted.")
                  || topic.startsWith("story.deleted.") || rec.deleted === true));
      if (del) this.records.delete(`${u.kind}\t${u.key}`);
      else this.records.set(`${u.kind}\t${u.key}`, rec);
    }
    this.seq = BigInt(u.seq.toString());
    return u.kind === "claim" ? `xref\t${u.key}` : `${u.kind}\t${u.key}`;
  }
}

async function main() {
  const root = await protobuf.load(path.join(__dirname, "..", "..", "proto", "crossclaim.proto"));
  const Update = root.lookupType("crossclaim.Update");
  const view = new View(Update);
  const decode = (b) => Update.toObject(Update.decode(b), { longs: String, bytes: Buffer, defaults: true, enums: Number });

  async function snapshot() {
    const lines = [];
    let seq = null;
    for (const m of await request(["SNAPSHOT", ALL])) {
      const head = m[0].toString();
      if (head === "DATA") for (const l of m[1].toString().split("\n")) { if (l) lines.push(JSON.parse(l)); }
      else if (head === "END") seq = BigInt(m[1].toString());
      else throw new Error(`SNAPSHOT refused: ${m.map(String)}`);
    }
    view.load(lines, seq);
    return lines.length;
  }
  async function catchUp() {
    for (const m of await request(["SINCE", view.seq.toString()])) {
      const head = m[0].toString();
      if (head === "UPDATE") {
        const seq = BigInt(m[1].toString());
        if (seq <= view.seq) continue;
        if (seq !== view.seq + 1n) throw new Error(`SINCE skipped from ${view.seq} to ${seq}`);
        view.apply(m[2].toString(), decode(m[3]));
      } else if (head === "ERR" && m[1].toString().startsWith("gap")) {
        await snapshot();
        return;
      } else if (head !== "END") throw new Error(`SINCE refused: ${m.map(String)}`);
    }
  }

  const sub = new zmq.Subscriber({ linger: 0 });
  sub.connect(feedEp);
  sub.subscribe();
  let first = true;
  for await (const [t, payload] of sub) {
    const topic = t.toString();
    const u = decode(payload);
    const seq = BigInt(u.seq);
    if (first) {           // the subscription is live: now the snapshot misses nothing
      first = false;
      const n = await snapshot();
      console.error(`snapshot: ${n} records at seq ${view.seq}`);
    }
    if (topic === "hb") {
      if (seq > view.seq) await catchUp();       // the tail never came
    } else if (seq > view.seq) {
      if (seq !== view.seq + 1n) await catchUp();
      if (seq === view.seq + 1n) {
        const k = view.apply(topic, u);
        const r = view.records.get(k);
        if (!dump && r && r.type === "xref" && r.status === "conflict")
          console.log(`seq ${view.seq} conflict ${r.frame}: ` +
                      r.claims.map((c) => `${c.value} (${c.outlet})`).join(", "));
      }
    }
    if (untilSeq !== null && view.seq >= untilSeq) break;
  }
  sub.close();
  if (dump) for (const line of [...view.records.values()].map((r) => JSON.stringify(r)).sort()) console.log(line);
  console.error(`view at seq ${view.seq}: ${view.records.size} records`);
}

main().catch((e) => { console.error(`example.js: ${e.message}`); process.exit(1); });
