// Shared by every benchmark: the machine and versions, a readable table, and the one JSON line.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/config.ts';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the figure is set against in the same run, when there is something to compare. */
  comparison?: { name: string; value: number };
  note?: string;
}

export function machine(): Record<string, string> {
  const pkg = (name: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    } catch {
      return '?';
    }
  };
  return {
    cpu: `${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    pglite: pkg('@electric-sql/pglite'),
    hardhat: pkg('hardhat'),
    'node-seal': pkg('node-seal'),
    snarkjs: pkg('snarkjs'),
    'graphql-yoga': pkg('graphql-yoga'),
  };
}

export function printReport(figures: Figure[]): void {
  const m = machine();
  console.log('\nMachine: ' + Object.entries(m).map(([k, v]) => `${k} ${v}`).join(' · '));
  const rows = figures.map((f) => [
    f.name,
    `${round(f.value)} ${f.unit}`,
    f.comparison ? `${f.comparison.name} ${round(f.comparison.value)} ${f.unit}` : '',
    f.comparison && f.comparison.value !== 0 ? `${round(f.value / f.comparison.value)}×` : '',
    f.note ?? '',
  ]);
  const head = ['figure', 'value', 'compared with', 'ratio', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  const json: Record<string, number | string> = {};
  for (const f of figures) json[f.name] = round(f.value);
  json.machine = `${m.cpu}, ${m.memory}, node ${m.node}`;
  console.log(JSON.stringify(json));
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100;
}
