import { getNamedType, GraphQLInputObjectType, GraphQLSchema, isInputObjectType, Kind, type DocumentNode, type ExecutionResult, type TypeNode } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';

/** An operation compiled to JavaScript by graphql-jit: same resolvers, same result shape. */
export type CompiledOperation = (root: unknown, context: unknown, variables: Record<string, unknown> | undefined) => Promise<ExecutionResult> | ExecutionResult;

/**
 * Compiles one operation of a document with graphql-jit, or answers undefined when it cannot:
 * graphql-js interprets a document field by field on every request, which was the largest part
 * of a lookup's CPU. A document with a variable of a recursive input type (FilterInput) is left to
 * graphql-js: graphql-jit recurses on such a type until the stack overflows, after seconds and
 * hundreds of megabytes, so it is not even tried.
 */
export function compileOperation(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): CompiledOperation | undefined {
  if (hasRecursiveVariable(schema, document)) return undefined;
  try {
    const compiled = compileQuery(schema, document, operationName ?? undefined);
    if (!isCompiledQuery(compiled)) return undefined;
    return (root, context, variables) => compiled.query(root, context, variables ?? {});
  } catch {
    return undefined;
  }
}

/** Whether a variable of the document has an input type that contains itself (at any depth). */
function hasRecursiveVariable(schema: GraphQLSchema, document: DocumentNode): boolean {
  const named = (t: TypeNode): string => (t.kind === Kind.NAMED_TYPE ? t.name.value : named(t.type));
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of def.variableDefinitions ?? []) {
      const type = schema.getType(named(v.type));
      if (type && isInputObjectType(type) && reaches(type, type, new Set())) return true;
    }
  }
  return false;
}

function reaches(from: GraphQLInputObjectType, target: GraphQLInputObjectType, seen: Set<string>): boolean {
  if (seen.has(from.name)) return false;
  seen.add(from.name);
  for (const field of Object.values(from.getFields())) {
    const t = getNamedType(field.type);
    if (!isInputObjectType(t)) continue;
    if (t === target || reaches(t, target, seen)) return true;
  }
  return false;
}
