import {
  BREAK,
  coerceInputValue,
  DocumentNode,
  getNullableType,
  GraphQLError,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  OperationDefinitionNode,
  typeFromAST,
  ValueNode,
  visit,
} from 'graphql';

/** Names of variables and input fields whose values are never echoed: passwords, secrets, tokens, keys. */
const SENSITIVE = /pass(word|wd|phrase)?|secret|token|api[-_]?key|credential|authori[sz]ation|bearer/i;

/** Whether a variable or input field name suggests a secret. */
export const isSensitiveName = (name: string): boolean => SENSITIVE.test(name);

/** A refusal of the request's input, before anything runs; `http` makes Apollo answer it with that status. */
export const badInput = (message: string, code = 'BAD_USER_INPUT'): GraphQLError => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

const printPath = (path: readonly (string | number)[]): string => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');

/** The input type found at `path` below `type` (list items and input object fields), if any. */
function typeAt(type: GraphQLInputType, path: readonly (string | number)[]): GraphQLInputType | undefined {
  let t: GraphQLInputType | undefined = type;
  for (const p of path) {
    const n: GraphQLInputType | undefined = t ? getNullableType(t) : undefined;
    if (typeof p === 'number') t = n && isListType(n) ? n.ofType : undefined;
    else t = n && isInputObjectType(n) ? n.getFields()[p]?.type : undefined;
  }
  return t;
}

/** A short, single-line rendering of a value a client sent, for error messages. */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Variables passed where the name says secret, e.g. `$p` in `createUser(input: { password: $p })`. */
function variablesInSensitivePlaces(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  const collect = (node: ValueNode) =>
    visit(node, {
      Variable(v) {
        names.add(v.name.value);
      },
    });
  visit(document, {
    Argument(node) {
      if (isSensitiveName(node.name.value)) collect(node.value);
    },
    ObjectField(node) {
      if (isSensitiveName(node.name.value)) collect(node.value);
    },
  });
  return names;
}

/**
 * What is wrong with the variables, in the words graphql-js would use, except that the value of a
 * variable or input field named like a secret (`password`, `secret`, `token`…) is never repeated:
 * graphql-js writes `Variable "$i" got invalid value 123 at "i.password"; String cannot represent a
 * non string value: 123`, which would carry a password into the answer (and any log of it).
 * Undefined when the variables coerce.
 */
export function variableProblem(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, inputs: Record<string, unknown>): string | undefined {
  const secretVariables = variablesInSensitivePlaces(document);
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const type = typeFromAST(schema, def.type);
    if (!type || !isInputType(type)) continue; // validation has reported it
    if (!Object.hasOwn(inputs, name)) {
      if (!def.defaultValue && isNonNullType(type)) return `Variable "$${name}" of required type "${String(type)}" was not provided.`;
      continue;
    }
    const value = inputs[name];
    if (value === null && isNonNullType(type)) return `Variable "$${name}" of non-null type "${String(type)}" must not be null.`;
    let problem: string | undefined;
    coerceInputValue(value, type, (path, invalid, error) => {
      if (problem) return;
      const at = path.length ? ` at "${name}${printPath(path)}"` : '';
      if (secretVariables.has(name) || isSensitiveName(name) || path.some((p) => typeof p === 'string' && isSensitiveName(p))) {
        const expected = typeAt(type, path);
        problem = `Variable "$${name}" got an invalid value${at}${expected ? `: expected ${String(expected)}` : ''} (the value is not repeated: it may be a secret).`;
      } else {
        problem = `Variable "$${name}" got invalid value ${preview(invalid)}${at}; ${error.message}`;
      }
    });
    if (problem) return problem;
  }
  return undefined;
}

/**
 * graphql-js's own message for a variable that did not coerce, with the value cut out when a name
 * in it suggests a secret: the last line of defence, should any such message get past variableProblem.
 */
export function redactVariableMessage(message: string): string {
  const m = /^Variable "\$([^"]+)" got invalid value /.exec(message);
  if (!m) return message;
  const at = / at "([^"]+)"; /.exec(message)?.[1];
  const names = [m[1], ...(at?.split(/[.[\]]/) ?? [])];
  if (!names.some((n) => n && isSensitiveName(n))) return message;
  return `Variable "$${m[1]}" got an invalid value${at ? ` at "${at}"` : ''} (the value is not repeated: it may be a secret).`;
}

/** Documents whose literals passed checkInputs (Apollo reuses the parsed document of a repeated query). */
const clean = new WeakSet<DocumentNode>();

/** The first problem of a text in the input: U+0000, or a lone surrogate (no Unicode character; it would be stored as U+FFFD). */
function textProblem(s: string): string | undefined {
  if (s.includes('\0')) return NUL_TEXT;
  if (!s.isWellFormed()) return SURROGATE_TEXT;
  return undefined;
}

const NUL_TEXT = 'Text values cannot contain the NUL character (U+0000).';
const SURROGATE_TEXT = 'Text values cannot contain an unpaired surrogate (such as "\\ud800"): it is not a Unicode character.';

/** The first text problem of any string (or object key) in a JSON value; iterative, so any nesting is safe. */
function badText(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return problem;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const problem = textProblem(k);
        if (problem) return problem;
        stack.push(item);
      }
    }
  }
  return undefined;
}

/**
 * Deepest nesting of objects and lists an input value may have, in the variables or in a literal.
 * Deeper values overflow the stack of the recursive converters (type-graphql's input conversion
 * among them) before any rule can refuse them; the deepest legitimate input, a filter at its limit
 * of 32 levels of and/or, nests about 66.
 */
export const MAX_INPUT_DEPTH = 100;

/** How deep a JSON value nests (objects and lists), counted without recursion; stops counting past `limit`. */
function jsonDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const item of Array.isArray(v) ? v : Object.values(v)) stack.push([item, depth]);
  }
  return max;
}

/**
 * Refuses, with INVALID_VALUE, input the layers below would fail on as an internal error or store
 * altered: U+0000 (PostgreSQL text cannot hold it) and lone surrogates (jsonb refuses them, text
 * would keep U+FFFD) in a string literal of the document or anywhere in the variables, and values
 * nested deeper than MAX_INPUT_DEPTH.
 */
export function checkInputs(document: DocumentNode, variables: unknown): void {
  if (!clean.has(document)) {
    let problem: string | undefined;
    let depth = 0;
    let deepest = 0;
    const enter = () => {
      depth++;
      deepest = Math.max(deepest, depth);
    };
    const leave = () => {
      depth--;
    };
    visit(document, {
      StringValue(node) {
        problem = textProblem(node.value);
        return problem ? BREAK : undefined;
      },
      ObjectValue: { enter, leave },
      ListValue: { enter, leave },
    });
    if (problem) throw badInput(problem, 'INVALID_VALUE');
    if (deepest > MAX_INPUT_DEPTH) throw badInput(`An input value nests deeper than ${MAX_INPUT_DEPTH} levels.`, 'INVALID_VALUE');
    clean.add(document);
  }
  const problem = badText(variables);
  if (problem) throw badInput(problem, 'INVALID_VALUE');
  if (jsonDepth(variables, MAX_INPUT_DEPTH + 1) > MAX_INPUT_DEPTH + 1) throw badInput(`An input value nests deeper than ${MAX_INPUT_DEPTH} levels.`, 'INVALID_VALUE');
}
