import { readFileSync } from 'node:fs';
import { frameOf, layerOfStack } from '../dist/bench/profile-layers.js';
const [file, layerName, n = '40'] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((x) => [x.id, x])); const parent = new Map();
for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const agg = new Map(); let total = 0;
for (let i = 0; i < p.samples.length; i++) { const id = p.samples[i]; const dt = (p.timeDeltas[i] ?? 0) / 1000;
  const stack = []; for (let cur = id; cur !== undefined; cur = parent.get(cur)) stack.push(frameOf(byId.get(cur).callFrame));
  if (layerOfStack(stack) !== layerName) continue; total += dt;
  // attribute to the first non-native frame from the leaf
  const f = stack.find((s) => s.url) ?? stack[0]; const k = `${stack[0].fn}  <  ${f.fn} ${f.pkg || f.src || f.url}`; agg.set(k, (agg.get(k) ?? 0) + dt); }
console.log('total', total.toFixed(1));
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, +n)) console.log(v.toFixed(1).padStart(7), k);
