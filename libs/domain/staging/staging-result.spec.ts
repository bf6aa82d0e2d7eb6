import { parseProcfile, readStagingResult } from './staging-result';

describe('readStagingResult', () => {
  it('takes the release default and lets the Procfile override and add types', () => {
    const result = readStagingResult({
      stagingInfo:
        'detected_buildpack: nodejs_buildpack\ndetect_output: "nodejs 18"\nbuildpacks: [nodejs_buildpack]\nstart_command: "node server.js"\n',
      release: '---\ndefault_process_types:\n  web: node server.js\n',
      procfile: 'web: node web.js --port $PORT\n# a comment\n\nworker: node worker.js\n',
    });
    expect(result.processTypes).toEqual({
      web: 'node web.js --port $PORT',
      worker: 'node worker.js',
    });
    expect(result.buildpacks).toEqual([
      {
        name: 'nodejs_buildpack',
        buildpack_name: 'nodejs_buildpack',
        detect_output: 'nodejs 18',
        version: null,
      },
    ]);
  });

  it('keeps only the release when there is no Procfile', () => {
    expect(
      readStagingResult({
        stagingInfo: 'detected_buildpack: go_buildpack\nbuildpacks: [go_buildpack]\n',
        release: 'default_process_types:\n  web: ./bin/app\n',
        procfile: null,
      }).processTypes,
    ).toEqual({ web: './bin/app' });
  });

  it('reads the runtimes buildpacks declared and drops what is malformed or not theirs', () => {
    const info = [
      'detected_buildpack: nodejs_buildpack',
      'buildpacks: [nodejs_buildpack]',
      'runtimes:',
      '  - {buildpack: "nodejs_buildpack", name: "nodejs", version: "26.1.0", path: "deps/0/node"}',
      '  - {buildpack: "nodejs_buildpack", name: "nodejs", version: "22.0.0", path: "deps/0/node"}',
      '  - {buildpack: "go_buildpack", name: "go", version: "1.22.0", path: "deps/0/go"}',
      '  - {buildpack: "nodejs_buildpack", name: "python", version: "3.11", path: "deps/0/py"}',
      '  - {buildpack: "nodejs_buildpack", name: "ruby", version: "3.3.0", path: "deps/0/../../etc"}',
      '  - {buildpack: "nodejs_buildpack", name: "Bad/name", version: "1.0.0", path: "deps/0/x"}',
      '  - "not a mapping"',
    ].join('\n');
    expect(
      readStagingResult({ stagingInfo: info, release: null, procfile: null }).runtimes,
    ).toEqual([
      { buildpack: 'nodejs_buildpack', name: 'nodejs', version: '26.1.0', path: 'deps/0/node' },
    ]);
    expect(
      readStagingResult({ stagingInfo: 'runtimes: nope\n', release: null, procfile: null })
        .runtimes,
    ).toEqual([]);
  });
});

describe('parseProcfile', () => {
  it('ignores lines that are not type: command', () => {
    expect(parseProcfile('not a line\nweb:   python app.py  \r\n')).toEqual({
      web: 'python app.py',
    });
  });
});
