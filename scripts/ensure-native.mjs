// Repairs an install made by an npm running on Node < 22 (the machine's own npm).
// npm marks an optional dependency whose `engines` it fails as inert, so Hardhat's native
// EDR binary (engines: node >= 22) is skipped even though npm scripts run on the Node 22
// from the `node` devDependency. This postinstall runs on that Node 22, and asks npm once
// more from there, which then installs the binary from the lockfile.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function edrLoads() {
  try {
    require('@nomicfoundation/edr');
    return true;
  } catch {
    return false;
  }
}

if (process.env.EXCHANGE_ENSURE_NATIVE === '1' || edrLoads()) process.exit(0);

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`[postinstall] Node ${process.versions.node} runs this script; the project needs Node 22 (the node devDependency).`);
  process.exit(1);
}
console.log('[postinstall] installing the native EDR binary that npm skipped on the older Node');
execSync('npm install --ignore-scripts --no-save --no-audit --no-fund', {
  stdio: 'inherit',
  env: { ...process.env, EXCHANGE_ENSURE_NATIVE: '1' },
});
if (!edrLoads()) {
  console.error('[postinstall] @nomicfoundation/edr still does not load; the in-process chain will not start');
  process.exit(1);
}
