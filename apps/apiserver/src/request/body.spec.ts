import { decodeBody, exceedsDepth, MAX_BODY_DEPTH } from './body';

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedYaml = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const decode = (text: string, type = 'application/json') => {
  try {
    return { value: decodeBody(Buffer.from(text), type) };
  } catch (error) {
    return { status: error as { code?: number; message?: string } };
  }
};

describe('decodeBody', () => {
  it.each([
    ['a JSON object at the depth limit', nested(MAX_BODY_DEPTH), 'application/json', undefined],
    ['a JSON object 20,000 deep', nested(20_000), 'application/json', 400],
    ['a JSON array 20,000 deep', '['.repeat(20_000) + ']'.repeat(20_000), 'application/merge-patch+json', 400],
    ['a YAML flow sequence 20,000 deep', nestedYaml(20_000), 'application/yaml', 400],
    ['a YAML document one level too deep', nestedYaml(MAX_BODY_DEPTH + 1), 'application/yaml', 400],
    ['malformed JSON', '{"a":', 'application/json', 400],
    ['an empty body', '  ', 'application/json', 400],
    ['an unknown media type', '{}', 'application/xml', 415],
  ])('%s → %p', (_name, text, type, code) => {
    const result = decode(text, type);
    if (code === undefined) expect(result.status).toBeUndefined();
    else {
      expect(result.status?.code).toBe(code);
      if (code === 400 && text.length > 10_000) expect(result.status?.message).toMatch(type === 'application/yaml' ? /could not be decoded as YAML/ : /exceeded max depth of 512/);
    }
  });
});

describe('exceedsDepth', () => {
  it.each([
    [1, false],
    [MAX_BODY_DEPTH, false],
    [MAX_BODY_DEPTH + 1, true],
  ])('an object %p deep exceeds the limit: %p', (depth, want) => {
    expect(exceedsDepth(JSON.parse(nested(depth)))).toBe(want);
  });

  it('counts scalars as no depth', () => {
    expect(exceedsDepth('text', 0)).toBe(false);
    expect(exceedsDepth({}, 0)).toBe(true);
  });
});
