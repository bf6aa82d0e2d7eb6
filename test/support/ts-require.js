'use strict';
// `node -r ./test/support/ts-require.js some.ts`: runs the repository's TypeScript without a build,
// as jest does (each file transpiled on its own with tsconfig.jest.json's options, @wharf/* mapped
// as jest.config.js maps them). Tests use it to run a process of the platform as a child they can
// kill. Transpiled files are cached under the system's temp directory by their content.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '../..');
const configFile = path.join(root, 'tsconfig.jest.json');
const parsed = ts.parseJsonConfigFileContent(
  ts.readConfigFile(configFile, ts.sys.readFile).config,
  ts.sys,
  root,
);
const compilerOptions = { ...parsed.options, module: ts.ModuleKind.CommonJS, sourceMap: false };
const cacheDir = path.join(os.tmpdir(), 'wharf-ts-require');
fs.mkdirSync(cacheDir, { recursive: true });
const salt = ts.version + JSON.stringify(compilerOptions);

const aliases = [
  [/^@wharf\/contracts$/, () => path.join(root, 'libs/contracts/index.ts')],
  [/^@wharf\/platform\/(.*)$/, (m) => path.join(root, 'libs/platform', m[1], 'index.ts')],
  [/^@wharf\/([a-z-]+)$/, (m) => path.join(root, 'libs/domain', m[1], 'index.ts')],
];
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const [pattern, to] of aliases) {
    const m = pattern.exec(request);
    if (m) return to(m);
  }
  return resolveFilename.call(this, request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = createHash('sha1').update(salt).update(filename).update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
    fs.writeFileSync(`${cached}.${process.pid}`, output);
    fs.renameSync(`${cached}.${process.pid}`, cached);
  }
  module._compile(output, filename);
};
