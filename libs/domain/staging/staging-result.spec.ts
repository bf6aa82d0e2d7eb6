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
});

describe('parseProcfile', () => {
  it('ignores lines that are not type: command', () => {
    expect(parseProcfile('not a line\nweb:   python app.py  \r\n')).toEqual({
      web: 'python app.py',
    });
  });
});
