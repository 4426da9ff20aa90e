import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { authChecker } from '../auth/auth-checker.js';
import { AdminResolver, ProvisioningResolver } from './resolvers/admin.resolver.js';
import { GroupResolver } from './resolvers/group.resolver.js';
import { SamlResolver, SessionResolver, ViewerResolver } from './resolvers/sso.resolver.js';
import { ManagerResolver } from './resolvers/manager.resolver.js';
import { MemberResolver } from './resolvers/member.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';

let built: GraphQLSchema | undefined;

/** The GraphQL schema, built once per process (type-graphql metadata is global). */
export function buildRosterSchema(): GraphQLSchema {
  built ??= buildSchemaSync({
    resolvers: [UserResolver, GroupResolver, MemberResolver, ManagerResolver, AdminResolver, ProvisioningResolver, ViewerResolver, SamlResolver, SessionResolver],
    authChecker,
    // Inputs are checked by the domain services, once, for GraphQL and SCIM alike.
    validate: false,
  });
  return built;
}

/** The SDL committed as schema/schema.graphql. */
export function printRosterSchema(): string {
  return printSchema(lexicographicSortSchema(buildRosterSchema())) + '\n';
}
