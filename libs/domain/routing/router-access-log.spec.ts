import { routerAccessLine } from './router-access-log';

const APP = '0f5c7d2e-1111-4222-8333-444455556666';
const INSTANCE = '9a8b7c6d-aaaa-4bbb-8ccc-dddd11112222';

const record = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    t: Date.UTC(2026, 10, 22, 10, 0, 0, 123),
    host: 'app.apps.localhost:8080',
    method: 'GET',
    uri: '/hello?x=1',
    version: 'HTTP/1.1',
    status: 200,
    received: 87,
    sent: 140,
    referer: '-',
    agent: 'curl/7.88.1',
    client: '127.0.0.1:51234',
    server_address: '127.0.0.1:61001',
    xff: '-',
    id: '5b8f0e4a-3c2d-4e1f-9a0b-1c2d3e4f5a6b',
    total_ms: 4,
    response_ms: 3,
    server: `${APP}_2_${INSTANCE}`,
    termination: '----',
    ...over,
  });

describe('routerAccessLine', () => {
  it("writes the gorouter's access line for the app whose instance served the request", () => {
    expect(routerAccessLine(record())).toEqual({
      appGuid: APP,
      message:
        'app.apps.localhost:8080 - [2026-11-22T10:00:00.123Z] "GET /hello?x=1 HTTP/1.1" 200 87 140 "-" "curl/7.88.1" ' +
        '"127.0.0.1:51234" "127.0.0.1:61001" x_forwarded_for:"127.0.0.1" x_forwarded_proto:"http" ' +
        'vcap_request_id:"5b8f0e4a-3c2d-4e1f-9a0b-1c2d3e4f5a6b" response_time:0.004000 gorouter_time:0.001000 ' +
        `app_id:"${APP}" app_index:"2" instance_id:"${INSTANCE}" x_cf_routererror:"-"`,
    });
  });

  it('appends the client to the X-Forwarded-For it sent, and marks failed instances', () => {
    const line = routerAccessLine(record({ xff: '10.0.0.1', status: 503, response_ms: -1 }));
    expect(line?.message).toContain('x_forwarded_for:"10.0.0.1, 127.0.0.1"');
    expect(line?.message).toContain('x_cf_routererror:"endpoint_failure"');
    expect(line?.message).toContain('gorouter_time:0.004000');
  });

  it('ignores requests that reached no instance and anything that is not a record', () => {
    expect(routerAccessLine(record({ server: '<NOSRV>' }))).toBeNull();
    expect(routerAccessLine('not json')).toBeNull();
    expect(routerAccessLine('null')).toBeNull();
  });
});
