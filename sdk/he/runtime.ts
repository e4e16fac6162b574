// The buyer's SEAL runtime: the wasm module is loaded once per page or process and each
// scheme's context is built the first time it is needed.

import SEAL, { type MainModule } from 'node-seal';
import { createSchemeRuntime, type HeScheme, type SchemeRuntime } from './params.ts';

export interface BuyerRuntime {
  seal: MainModule;
  scheme: SchemeRuntime;
}

let sealModule: Promise<MainModule> | undefined;
const schemes = new Map<HeScheme, Promise<SchemeRuntime>>();

function loadSeal(): Promise<MainModule> {
  sealModule ??= SEAL().catch((error: unknown) => {
    sealModule = undefined; // let a later call retry
    throw error;
  });
  return sealModule;
}

export async function buyerRuntime(scheme: HeScheme): Promise<BuyerRuntime> {
  const seal = await loadSeal();
  let runtime = schemes.get(scheme);
  if (!runtime) {
    runtime = createSchemeRuntime(seal, scheme);
    runtime.catch(() => schemes.delete(scheme));
    schemes.set(scheme, runtime);
  }
  return { seal, scheme: await runtime };
}
