// The buildpack's semver questions, answered with the node-semver the stack's npm ships (run by the
// stack's Node.js, whatever version the app gets).
//   resolve RANGE VERSIONS.json  prints the highest version the range matches; exit 2 when the
//                                range is not a range, 3 when nothing matches
//   satisfies VERSION RANGE      exit 0 when it does, 1 when not
//   engine PACKAGE.json          prints engines.node (nothing when absent); exit 2 on bad JSON
'use strict';
const fs = require('fs');

function loadSemver() {
  for (const id of ['semver', '/usr/share/nodejs/npm/node_modules/semver']) {
    try {
      return require(id);
    } catch {
      // the next place
    }
  }
  throw new Error('node-semver is not on this stack');
}

const [command, a, b] = process.argv.slice(2);
if (command === 'engine') {
  let pkg;
  try {
    pkg = JSON.parse(fs.readFileSync(a, 'utf8'));
  } catch (e) {
    console.error(`package.json is not valid JSON: ${e.message}`);
    process.exit(2);
  }
  const node = pkg && pkg.engines && pkg.engines.node;
  if (typeof node === 'string' && node.trim()) console.log(node.trim());
} else if (command === 'resolve') {
  const semver = loadSemver();
  if (semver.validRange(a) === null) process.exit(2);
  const list = JSON.parse(fs.readFileSync(b, 'utf8'));
  const versions = Array.isArray(list) ? list : [list];
  const found = semver.maxSatisfying(versions, a);
  if (!found) process.exit(3);
  console.log(found);
} else if (command === 'satisfies') {
  process.exit(loadSemver().satisfies(a, b) ? 0 : 1);
} else {
  console.error(`usage: semver.js resolve|satisfies|engine ...`);
  process.exit(64);
}
