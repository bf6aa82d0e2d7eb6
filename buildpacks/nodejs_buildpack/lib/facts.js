// What finalize needs to know about the app's package.json and the stack's npm, in one start of
// the stack's Node.js (each start costs a quarter of a second). Prints `key=value` lines that
// finalize reads into an array, never evaluates; values from package.json are printed only when
// they are plain version strings.
//   facts.js PACKAGE.json NPM_PACKAGE.json NODE_VERSION
//     npm_version=9.2.0       npm_engines=<range>      npm_fits=1|0 (NODE_VERSION satisfies it)
//     script_<name>=1         for heroku-prebuild, heroku-postbuild, build, heroku-cleanup
//     pm_<yarn|pnpm|npm>=<v>  from packageManager ("yarn@4.1.0+sha..." → 4.1.0)
'use strict';
const fs = require('fs');
const path = require('path');

const [pkgFile, npmPkgFile, nodeVersion] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) || {};
const npmPkg = JSON.parse(fs.readFileSync(npmPkgFile, 'utf8'));
const out = [];
const plain = /^[0-9A-Za-z.+_-]{1,64}$/;

out.push(`npm_version=${npmPkg.version}`);
const engines = (npmPkg.engines && npmPkg.engines.node) || '*';
out.push(`npm_engines=${engines}`);
let semver;
for (const id of ['semver', path.join(path.dirname(npmPkgFile), 'node_modules', 'semver')]) {
  try {
    semver = require(id);
    break;
  } catch {
    // the next place
  }
}
if (!semver) throw new Error('node-semver is not on this stack');
out.push(`npm_fits=${semver.satisfies(nodeVersion, engines) ? 1 : 0}`);
const scripts = pkg.scripts && typeof pkg.scripts === 'object' ? pkg.scripts : {};
for (const name of ['heroku-prebuild', 'heroku-postbuild', 'build', 'heroku-cleanup']) {
  if (scripts[name]) out.push(`script_${name}=1`);
}
const pm = /^(yarn|pnpm|npm)@([^+]+)/.exec(
  typeof pkg.packageManager === 'string' ? pkg.packageManager : '',
);
if (pm && plain.test(pm[2])) out.push(`pm_${pm[1]}=${pm[2]}`);
console.log(out.join('\n'));
