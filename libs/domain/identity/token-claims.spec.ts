import { audienceOf, CLOUD_CONTROLLER_AUDIENCE, isCurrentGeneration } from './token-claims';

describe('audienceOf', () => {
  it("names each scope's resource once, and the client, as UAA does", () => {
    expect(
      audienceOf(
        ['openid', 'cloud_controller.read', 'cloud_controller.write', 'uaa.user', 'password.write'],
        'cf',
      ),
    ).toEqual(['openid', CLOUD_CONTROLLER_AUDIENCE, 'uaa', 'password', 'cf']);
  });

  it('names the client once when it is also a resource', () => {
    expect(audienceOf(['wharf.read'], 'wharf')).toEqual(['wharf']);
  });
});

describe('isCurrentGeneration', () => {
  it("accepts a token of the user's generation and refuses older and newer ones", () => {
    expect(isCurrentGeneration({ token_generation: 3 }, { tokenGeneration: 3 })).toBe(true);
    expect(isCurrentGeneration({ token_generation: 2 }, { tokenGeneration: 3 })).toBe(false);
    expect(isCurrentGeneration({ token_generation: 4 }, { tokenGeneration: 3 })).toBe(false);
  });

  it('puts a token without the claim in generation 0, which the first password change ends', () => {
    expect(isCurrentGeneration({}, { tokenGeneration: 0 })).toBe(true);
    expect(isCurrentGeneration({}, { tokenGeneration: 1 })).toBe(false);
  });

  it('refuses a claim that is not a number', () => {
    const claims = { token_generation: '0' } as unknown as { token_generation: number };
    expect(isCurrentGeneration(claims, { tokenGeneration: 0 })).toBe(false);
  });
});
