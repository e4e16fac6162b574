// Whether every registered circuit is built and its verification key loads, for /health.

import { circuits } from '../../../circuits/registry.ts';
import { loadCircuit } from './artifacts.ts';

export interface ZkReadiness {
  ready: boolean;
  circuits: { name: string; constraints: number; vkeySha256: string }[];
  error?: string;
}

export async function zkReadiness(): Promise<ZkReadiness> {
  const loadedCircuits: ZkReadiness['circuits'] = [];
  const errors: string[] = [];
  for (const { name } of circuits) {
    try {
      const { manifest, vkeySha256 } = await loadCircuit(name);
      loadedCircuits.push({ name, constraints: manifest.constraints, vkeySha256 });
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return errors.length === 0
    ? { ready: true, circuits: loadedCircuits }
    : { ready: false, circuits: loadedCircuits, error: errors.join('; ') };
}
