// The server's SEAL runtime: the wasm module is loaded once per process and the exchange's
// parameter sets (sdk/he/params.ts, shared with buyers) are built once, on first use.

import SEAL, { type Evaluator, type MainModule } from 'node-seal';
import { HandleScope } from '../../../sdk/he/handle-scope.ts';
import { createSchemeRuntime, type SchemeRuntime } from '../../../sdk/he/params.ts';

export interface ParmsLevel {
  chainIndex: number;
  parmsId: readonly bigint[];
}

/** A scheme's runtime as the server evaluates with it. */
export interface EvaluatorRuntime extends SchemeRuntime {
  evaluator: Evaluator;
  /** Every level of the modulus chain, key level first: tells "other parameters" from "wrong level". */
  levels: readonly ParmsLevel[];
  keyLevel: ParmsLevel;
  /** Where fresh ciphertexts are: the buyer's queries must be here. */
  firstLevel: ParmsLevel;
  /** Chain index 0, the last level. */
  lastLevel: ParmsLevel;
}

export type BfvRuntime = EvaluatorRuntime;

export interface HeContext {
  seal: MainModule;
  bfv: EvaluatorRuntime;
  ckks: EvaluatorRuntime;
}

export interface HeReadiness {
  ready: boolean;
  schemes: {
    scheme: string;
    polyModulusDegree: number;
    slots: number;
    securityLevel: number;
    paramsFingerprint: string;
  }[];
  error?: string;
}

let heContext: Promise<HeContext> | undefined;

function modulusChain(runtime: SchemeRuntime): ParmsLevel[] {
  const scope = new HandleScope();
  try {
    const levels: ParmsLevel[] = [];
    let data = scope.own(runtime.context.keyContextData());
    // Past the last level nextContextData() returns a handle to null rather than null, so
    // walk by chain index, which falls to 0 at the last level.
    for (;;) {
      const chainIndex = data.chainIndex();
      levels.push({
        chainIndex,
        parmsId: Array.from(scope.own(data.parmsId()).values() as BigUint64Array),
      });
      if (chainIndex === 0) break;
      data = scope.own(data.nextContextData());
    }
    return levels;
  } finally {
    scope.deleteAll();
  }
}

function evaluatorRuntime(seal: MainModule, runtime: SchemeRuntime): EvaluatorRuntime {
  const levels = modulusChain(runtime);
  const firstData = runtime.context.firstContextData();
  const firstChainIndex = firstData.chainIndex();
  firstData.delete();
  return {
    ...runtime,
    evaluator: new seal.Evaluator(runtime.context),
    levels,
    keyLevel: levels[0]!,
    firstLevel: levels.find((level) => level.chainIndex === firstChainIndex)!,
    lastLevel: levels.at(-1)!,
  };
}

async function buildHeContext(): Promise<HeContext> {
  const seal = await SEAL();
  const bfv = await createSchemeRuntime(seal, 'bfv');
  const ckks = await createSchemeRuntime(seal, 'ckks');
  return { seal, bfv: evaluatorRuntime(seal, bfv), ckks: evaluatorRuntime(seal, ckks) };
}

/** The process's HE context: built on the first call, the same object for every later one. */
export function getHeContext(): Promise<HeContext> {
  heContext ??= buildHeContext().catch((error: unknown) => {
    heContext = undefined; // a later call retries
    throw error;
  });
  return heContext;
}

export async function heReadiness(): Promise<HeReadiness> {
  try {
    const { bfv, ckks } = await getHeContext();
    return {
      ready: true,
      schemes: [bfv, ckks].map((runtime) => ({
        scheme: runtime.scheme,
        polyModulusDegree: runtime.polyModulusDegree,
        slots: runtime.slots,
        securityLevel: runtime.securityLevel,
        paramsFingerprint: runtime.fingerprint,
      })),
    };
  } catch (error) {
    return {
      ready: false,
      schemes: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
