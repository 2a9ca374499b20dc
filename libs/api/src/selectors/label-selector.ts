// Label selectors: the string form of `?labelSelector=` (`app=web,tier in (a,b),!legacy`)
// and the structured form in specs (`matchLabels` / `matchExpressions`), both turned into
// one list of requirements that `matchesLabels` evaluates.
import { badRequest, StatusError } from '../status/status';
import { isLabelValue, isQualifiedName } from '../validation/names';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals' | 'Gt' | 'Lt';

export interface LabelRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

type Token = { kind: 'word'; text: string } | { kind: 'op'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if ('=!(),<>'.includes(ch)) {
      tokens.push({ kind: 'op', text: ch });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !' \t=!(),<>'.includes(input[j])) j++;
    tokens.push({ kind: 'word', text: input.slice(i, j) });
    i = j;
  }
  return tokens;
}

function selectorError(input: string, why: string): StatusError {
  return badRequest(`unable to parse requirement: ${why} (selector "${input}")`);
}

function checkKey(input: string, key: string): void {
  const problems = isQualifiedName(key);
  if (problems.length) throw selectorError(input, `invalid label key "${key}": ${problems.join('; ')}`);
}

function checkValue(input: string, value: string): void {
  const problems = isLabelValue(value);
  if (problems.length) throw selectorError(input, `invalid label value: "${value}": ${problems.join('; ')}`);
}

/** Parses the string form; throws a 400 StatusError on bad syntax. Empty selects everything. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const tokens = tokenize(input);
  const requirements: LabelRequirement[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expectWord = (what: string): string => {
    const token = next();
    if (!token || token.kind !== 'word') throw selectorError(input, `expected ${what}, found ${token ? `'${token.text}'` : 'end of string'}`);
    return token.text;
  };
  while (pos < tokens.length) {
    let token = next();
    if (token.kind === 'op' && token.text === '!') {
      const key = expectWord('a label key after "!"');
      checkKey(input, key);
      requirements.push({ key, operator: 'DoesNotExist', values: [] });
    } else if (token.kind === 'word') {
      const key = token.text;
      checkKey(input, key);
      const op = peek();
      if (!op || (op.kind === 'op' && op.text === ',')) {
        requirements.push({ key, operator: 'Exists', values: [] });
      } else if (op.kind === 'op' && ['=', '==', '!='].includes(op.text)) {
        next();
        const valueToken = peek();
        let value = '';
        if (valueToken && valueToken.kind === 'word') value = next().text;
        checkValue(input, value);
        requirements.push({ key, operator: op.text === '!=' ? 'NotEquals' : 'Equals', values: [value] });
      } else if (op.kind === 'op' && (op.text === '>' || op.text === '<')) {
        next();
        const value = expectWord('an integer');
        if (!/^-?\d+$/.test(value)) throw selectorError(input, `for 'Gt', 'Lt' operators, the value must be an integer`);
        requirements.push({ key, operator: op.text === '>' ? 'Gt' : 'Lt', values: [value] });
      } else if (op.kind === 'word' && (op.text === 'in' || op.text === 'notin')) {
        next();
        const open = next();
        if (!open || open.text !== '(') throw selectorError(input, `expected '(' after '${op.text}'`);
        const values: string[] = [];
        for (;;) {
          const item = next();
          if (!item) throw selectorError(input, `expected ')'`);
          if (item.kind === 'op' && item.text === ')') break;
          if (item.kind === 'op' && item.text === ',') continue;
          if (item.kind !== 'word') throw selectorError(input, `unexpected '${item.text}' in value set`);
          checkValue(input, item.text);
          values.push(item.text);
        }
        if (values.length === 0 && op.text === 'in') throw selectorError(input, `for 'in', 'notin' operators, values set can't be empty`);
        requirements.push({ key, operator: op.text === 'in' ? 'In' : 'NotIn', values: [...new Set(values)].sort() });
      } else {
        throw selectorError(input, `unexpected '${op.text}' after key "${key}"`);
      }
    } else {
      throw selectorError(input, `unexpected '${token.text}'`);
    }
    token = next();
    if (token && !(token.kind === 'op' && token.text === ',')) throw selectorError(input, `expected ',' but found '${token.text}'`);
    if (token && pos >= tokens.length) throw selectorError(input, `found trailing ','`);
  }
  return requirements;
}

/** Structured selector → requirements; invalid operators or values throw 400. */
export function labelSelectorToRequirements(selector: LabelSelector | undefined | null): LabelRequirement[] {
  if (!selector) return [];
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, operator: 'Equals', values: [String(value)] });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw badRequest(`values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`);
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw badRequest(`values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`);
        break;
      default:
        throw badRequest(`operator: Unsupported value: "${String(expr.operator)}": supported values: "In", "NotIn", "Exists", "DoesNotExist"`);
    }
    requirements.push({ key: expr.key, operator: expr.operator, values: [...values] });
  }
  return requirements;
}

export function matchesRequirement(labels: Record<string, string> | undefined, req: LabelRequirement): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels![req.key] : undefined;
  switch (req.operator) {
    case 'Equals':
    case 'In':
      return has && req.values.includes(value!);
    case 'NotEquals':
    case 'NotIn':
      return !has || !req.values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const a = BigInt(value!);
      const b = BigInt(req.values[0]);
      return req.operator === 'Gt' ? a > b : a < b;
    }
  }
}

/** True when the labels satisfy every requirement (an empty list matches all). */
export function matchesLabels(labels: Record<string, string> | undefined, requirements: LabelRequirement[]): boolean {
  return requirements.every((req) => matchesRequirement(labels, req));
}

/** Convenience: does a structured selector (e.g. a ReplicaSet's) select these labels? */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  return matchesLabels(labels, labelSelectorToRequirements(selector));
}

/** The string form of requirements (for `?labelSelector=` and `kubectl get -o wide`). */
export function formatRequirements(requirements: LabelRequirement[]): string {
  return requirements
    .map((r) => {
      switch (r.operator) {
        case 'Equals':
          return `${r.key}=${r.values[0]}`;
        case 'NotEquals':
          return `${r.key}!=${r.values[0]}`;
        case 'In':
          return `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'Gt':
          return `${r.key}>${r.values[0]}`;
        case 'Lt':
          return `${r.key}<${r.values[0]}`;
      }
    })
    .join(',');
}

export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  return formatRequirements(labelSelectorToRequirements(selector));
}
