import { BrokerError, BrokerErrorCode } from './broker.errors';
import { isOsbId, OSB_ID_MAX_LENGTH, requireOsbId } from './osb-ids';
import { bindBody, deleteQuery, parseRequest, provisionBody, updateBody } from './osb-requests';

/** Ids a hostile caller might send: shell, sed, path, URI and line tricks, and sheer length. */
const HOSTILE_IDS = [
  'x;e touch /tmp/pwned',
  'x/e touch /tmp/pwned',
  'a/../b',
  'a\nb',
  'a\r\nb',
  'x:y@evil',
  'a b',
  "a'b",
  'a"b',
  '$(id)',
  '`id`',
  'a%0ab',
  'é',
  'x'.repeat(OSB_ID_MAX_LENGTH + 1),
  'x'.repeat(200),
  '',
];

describe('OSB ids', () => {
  it("takes guids, UUIDs, DNS names and the catalog's ids up to the bound", () => {
    for (const id of [
      '9f3c2a1e-5b7d-4c8e-a0f1-2b3c4d5e6f70',
      'D2C1B5A8-0000-4000-8000-000000000001',
      'org-guid-conformance',
      'my.namespace_1',
      'a',
      'x'.repeat(OSB_ID_MAX_LENGTH),
    ])
      expect(isOsbId(id)).toBe(true);
  });

  it('refuses anything else, and what is not a string', () => {
    for (const id of HOSTILE_IDS) expect(isOsbId(id)).toBe(false);
    for (const value of [undefined, null, 42, ['a'], { id: 'a' }])
      expect(isOsbId(value)).toBe(false);
  });

  it('answers a malformed URL id with a 400 that names the field and not the value', () => {
    expect(requireOsbId('binding_id', 'abc-123')).toBe('abc-123');
    let caught: unknown;
    try {
      requireOsbId('binding_id', 'x;e touch /tmp/pwned');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BrokerError);
    const e = caught as BrokerError;
    expect(e.code).toBe(BrokerErrorCode.BadRequest);
    expect(e.description).toMatch(/^Malformed binding_id: it must be 1 to 100 characters/);
    expect(e.description).not.toContain('pwned');
  });

  describe('in bodies and queries', () => {
    const provision = {
      service_id: 'svc',
      plan_id: 'plan',
      organization_guid: 'org',
      space_guid: 'space',
    };
    const refused = (fn: () => unknown, field: string) => {
      expect(fn).toThrow(BrokerError);
      expect(fn).toThrow(new RegExp(`${field}: must be 1 to 100 characters`));
    };

    it('checks every id of a provision, update, bind and delete', () => {
      expect(parseRequest(provisionBody, provision, 'provision request')).toMatchObject(provision);
      for (const bad of HOSTILE_IDS) {
        for (const field of Object.keys(provision))
          refused(
            () => parseRequest(provisionBody, { ...provision, [field]: bad }, 'provision request'),
            field,
          );
        refused(
          () => parseRequest(updateBody, { service_id: 'svc', plan_id: bad }, 'update request'),
          'plan_id',
        );
        refused(
          () =>
            parseRequest(
              bindBody,
              { service_id: 'svc', plan_id: 'plan', bind_resource: { app_guid: bad } },
              'bind request',
            ),
          'bind_resource.app_guid',
        );
        refused(
          () =>
            parseRequest(bindBody, { service_id: 'svc', plan_id: 'plan', app_guid: bad }, 'bind'),
          'app_guid',
        );
        refused(
          () => parseRequest(deleteQuery, { service_id: bad, plan_id: 'p' }, 'query'),
          'service_id',
        );
      }
    });
  });
});
