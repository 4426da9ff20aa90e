import Router from '@koa/router';
import { ScimError } from '../errors.js';
import { LIST_URN, send } from '../http.js';
import { allSchemas, resourceSchema } from '../schema/index.js';
import { MAX_RESULTS } from '../resources/list-params.js';

const SPC_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RT_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/**
 * /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4), built from schema/scim. Each
 * payload holds exactly the attributes RFC 7643 §5, §6 and §7 define, and its `schemas`: strict
 * client libraries reject a payload with anything else.
 */
export function discoveryRoutes(baseUrl: string): Router {
  const router = new Router();

  const serviceProviderConfig = {
    schemas: [SPC_URN],
    documentationUri: `${baseUrl.replace(/\/scim\/v2$/, '')}/graphql`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'Bearer token', description: 'The SCIM token Roster shows when provisioning is activated.', specUri: 'https://www.rfc-editor.org/rfc/rfc6750' },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };

  const resourceTypes = (['User', 'Group'] as const).map((name) => {
    const rs = resourceSchema(name);
    return {
      schemas: [RT_URN],
      id: name,
      name,
      endpoint: `/${name}s`,
      description: name === 'User' ? 'A person in the directory' : 'A group of users and groups',
      schema: rs.core.id,
      schemaExtensions: rs.extensions.map((e) => ({ schema: e.schema.id, required: e.required })),
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${name}` },
    };
  });

  const schemas = allSchemas().map((s) => ({ schemas: [SCHEMA_URN], ...s, meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${s.id}` } }));
  const listOf = (items: unknown[]) => ({ schemas: [LIST_URN], totalResults: items.length, startIndex: 1, itemsPerPage: items.length, Resources: items });

  router.get('/ServiceProviderConfig', (ctx) => send(ctx, 200, serviceProviderConfig));
  router.get('/ResourceTypes', (ctx) => send(ctx, 200, listOf(resourceTypes)));
  router.get('/ResourceTypes/:id', (ctx) => {
    const rt = resourceTypes.find((r) => r.id.toLowerCase() === ctx.params.id.toLowerCase());
    if (!rt) throw new ScimError(404, `Resource type ${JSON.stringify(ctx.params.id)} not found.`);
    send(ctx, 200, rt);
  });
  router.get('/Schemas', (ctx) => send(ctx, 200, listOf(schemas)));
  router.get('/Schemas/:id', (ctx) => {
    const s = schemas.find((x) => x.id.toLowerCase() === ctx.params.id.toLowerCase());
    if (!s) throw new ScimError(404, `Schema ${JSON.stringify(ctx.params.id)} not found.`);
    send(ctx, 200, s);
  });
  return router;
}
