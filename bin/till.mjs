#!/usr/bin/env node
// Till runs its TypeScript sources directly with Node's built-in type stripping (Node ≥ 22.18),
// so `till` works right after `npm ci` with no build step.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `till needs Node.js 22.18 or newer (this is ${process.versions.node}). Run it through "npm run till -- …", which uses the project's own Node 24.`,
  );
  process.exit(1);
}
process.removeAllListeners('warning');
await import('../src/main/cli/main.ts');
