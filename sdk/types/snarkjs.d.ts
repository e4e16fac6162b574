// Types for the parts of snarkjs 0.7 the exchange uses (the package ships none). Field elements
// and curve points travel as decimal strings, as snarkjs writes them to JSON.

declare module 'snarkjs' {
  export interface Groth16Proof {
    pi_a: [string, string, string];
    pi_b: [[string, string], [string, string], [string, string]];
    pi_c: [string, string, string];
    protocol: 'groth16';
    curve: 'bn128';
  }

  export interface Groth16VerificationKey {
    protocol: 'groth16';
    curve: 'bn128';
    nPublic: number;
    vk_alpha_1: string[];
    vk_beta_2: string[][];
    vk_gamma_2: string[][];
    vk_delta_2: string[][];
    vk_alphabeta_12: string[][][];
    IC: string[][];
  }

  /** A file name, or the file's bytes held in memory. */
  export type Artifact = string | Uint8Array | { type: 'mem'; data: Uint8Array };

  export interface Logger {
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  }

  /** Circuit inputs: signal name to a field element, or nested arrays of them. */
  export type CircuitSignals = Record<string, bigint | string | number | unknown[]>;

  export const groth16: {
    fullProve(
      input: CircuitSignals,
      wasm: Artifact,
      zkey: Artifact,
      logger?: Logger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(
      vkey: Groth16VerificationKey,
      publicSignals: readonly string[],
      proof: Groth16Proof,
      logger?: Logger,
    ): Promise<boolean>;
    exportSolidityCallData(proof: Groth16Proof, publicSignals: readonly string[]): Promise<string>;
  };

  /** Witness generation alone: rejects ("Assert Failed") when the input does not satisfy the circuit. */
  export const wtns: {
    calculate(input: CircuitSignals, wasm: Artifact, wtnsFile: string | { type: 'mem'; data?: Uint8Array }, logger?: Logger): Promise<void>;
  };

  export const powersOfTau: {
    newAccumulator(curve: unknown, power: number, fileName: string, logger?: Logger): Promise<unknown>;
    contribute(
      oldPtau: string,
      newPtau: string,
      name: string,
      entropy: string,
      logger?: Logger,
    ): Promise<Uint8Array>;
    beacon(
      oldPtau: string,
      newPtau: string,
      name: string,
      beaconHashHex: string,
      numIterationsExp: number,
      logger?: Logger,
    ): Promise<Uint8Array | false>;
    preparePhase2(oldPtau: string, newPtau: string, logger?: Logger): Promise<void>;
    verify(ptau: string, logger?: Logger): Promise<boolean>;
  };

  export const zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<Uint8Array>;
    contribute(
      oldZkey: string,
      newZkey: string,
      name: string,
      entropy: string,
      logger?: Logger,
    ): Promise<Uint8Array>;
    beacon(
      oldZkey: string,
      newZkey: string,
      name: string,
      beaconHashHex: string,
      numIterationsExp: number,
      logger?: Logger,
    ): Promise<Uint8Array | false>;
    verifyFromR1cs(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<boolean>;
    exportVerificationKey(zkey: string, logger?: Logger): Promise<Groth16VerificationKey>;
    exportSolidityVerifier(
      zkey: string,
      templates: { groth16: string },
      logger?: Logger,
    ): Promise<string>;
  };

  export const r1cs: {
    info(
      r1cs: string,
      logger?: Logger,
    ): Promise<{ nConstraints: number; nVars: number; nPubInputs: number; nPrvInputs: number; nOutputs: number }>;
  };

  export const curves: {
    getCurveFromName(name: string, options?: { singleThread?: boolean }): Promise<{ terminate(): Promise<void> }>;
  };
}
