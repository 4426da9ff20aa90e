import { execute, GraphQLError, GraphQLSchema, type DocumentNode, type ExecutionResult } from 'graphql';
import { compileOperation, type CompiledOperation } from './compile.js';

/** Most operations kept, compiled or counted; the oldest entry goes first. */
const MAX_ENTRIES = 1000;

interface Entry {
  uses: number;
  /** undefined until compiled; null when graphql-jit cannot compile the operation */
  compiled?: CompiledOperation | null;
}

/** What the executor needs of Apollo's request: the parsed, validated document and its inputs. */
export interface ExecutorRequest {
  queryHash: string;
  document: DocumentNode;
  /** the operation Apollo resolved; absent when the request names none the document has */
  operation?: unknown;
  /** the client's own request: its operationName is what graphql resolves (Apollo's resolved name may be null) */
  request: { operationName?: string; variables?: Record<string, unknown> };
  context: unknown;
}

/**
 * Executes Apollo's validated documents with graphql-jit once a document repeats, and with
 * graphql-js before that. The result is the same either way: the same resolvers, role checks and
 * error objects; only the interpretation of the document is compiled away. Apollo still parses,
 * validates (cached by the query's hash) and runs every plugin (authentication, cost and input
 * checks) before this is called.
 */
export class CompiledExecutor {
  private readonly entries = new Map<string, Entry>();
  /** operations run compiled, and compilations made: for tests and metrics */
  compiledRuns = 0;
  compilations = 0;

  /**
   * @param compileAfter uses of one document before it runs compiled (0: never). A query sent once
   * (from GraphiQL, a script) never pays for compilation with the default of 2.
   */
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly compileAfter = 2,
  ) {}

  async execute(rc: ExecutorRequest): Promise<ExecutionResult> {
    const { operationName, variables } = rc.request;
    // No operation resolved (an unknown operationName, two without a name): graphql-js reports it.
    const compiled = rc.operation && this.compileAfter > 0 ? this.compiledFor(rc) : undefined;
    if (compiled) {
      const result = await compiled(undefined, rc.context, variables);
      // No `data` at all: the variables were refused before anything ran. graphql-js words those
      // errors as clients (and Apollo's BAD_USER_INPUT mapping) expect, so it answers them.
      if ('data' in result) {
        this.compiledRuns++;
        return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
      }
    }
    return execute({ schema: this.schema, document: rc.document, operationName, variableValues: variables, contextValue: rc.context });
  }

  private compiledFor(rc: ExecutorRequest): CompiledOperation | undefined {
    const key = `${rc.queryHash}\n${rc.request.operationName ?? ''}`;
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      entry = { uses: 0 };
      this.entries.set(key, entry);
    }
    if (entry.compiled !== undefined) return entry.compiled ?? undefined;
    if (++entry.uses < this.compileAfter) return undefined;
    entry.compiled = compileOperation(this.schema, rc.document, rc.request.operationName) ?? null;
    if (entry.compiled) this.compilations++;
    return entry.compiled ?? undefined;
  }
}

/**
 * graphql-jit's errors are GraphQLErrors without `extensions` when the thrown error has none, and
 * their properties are frozen; Apollo's formatting reads `extensions.code` of every error. So each
 * becomes graphql's own GraphQLError, with the same message, path, locations and original error.
 */
function asGraphqlJsError(e: GraphQLError): GraphQLError {
  const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError, extensions: e.extensions });
  if (e.locations) Object.defineProperty(error, 'locations', { value: e.locations, enumerable: true });
  return error;
}

/**
 * Apollo Server's gateway interface, used only for its executor hook: the schema is Roster's own,
 * loaded once; nothing is federated.
 */
export function compiledGateway(schema: GraphQLSchema, executor: CompiledExecutor) {
  return {
    async load() {
      return { executor: (rc: ExecutorRequest) => executor.execute(rc) };
    },
    onSchemaLoadOrUpdate(callback: (schemaContext: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}
