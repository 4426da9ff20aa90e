import { ArgsType, Field, Int } from 'type-graphql';
import { InvalidValue } from '../../domain/errors/domain-errors.js';
import { MAX_PAGE, type Page } from '../../domain/list.js';
import { decodeCursor, encodeCursor } from '../types/connection.js';
import { FilterInput, OrderByInput } from '../inputs/filter.input.js';

/** List arguments: a filter, an order, and either Relay (first/after) or offset/limit paging. */
@ArgsType()
export class ListArgs {
  @Field(() => FilterInput, { nullable: true }) filter?: FilterInput;
  @Field(() => OrderByInput, { nullable: true }) orderBy?: OrderByInput;
  @Field(() => Int, { nullable: true, description: `Relay: page size (at most ${MAX_PAGE})` }) first?: number;
  @Field(() => String, { nullable: true, description: 'Relay: the endCursor of the previous page' }) after?: string;
  @Field(() => Int, { nullable: true, description: 'offset paging: rows to skip' }) offset?: number;
  @Field(() => Int, { nullable: true, description: `offset paging: page size (at most ${MAX_PAGE}); 0 counts only` }) limit?: number;
}

/** Turns either paging style into offset and limit. */
export function window(args: ListArgs): { offset: number; limit: number } {
  // null means "not given" (Relay clients send after: null for the first page).
  if ((args.first != null || args.after != null) && (args.offset != null || args.limit != null)) {
    throw new InvalidValue('Use either first/after or offset/limit, not both.');
  }
  const limit = args.first ?? args.limit ?? 50;
  if (limit < 0 || limit > MAX_PAGE) throw new InvalidValue(`The page size must be between 0 and ${MAX_PAGE}.`);
  let offset = args.offset ?? 0;
  if (offset < 0) throw new InvalidValue('offset cannot be negative.');
  if (args.after != null) {
    const at = decodeCursor(args.after);
    if (at === null) throw new InvalidValue('after is not a cursor Roster issued.');
    offset = at + 1;
  }
  return { offset, limit };
}

/** A Relay connection over a page; totalCount is a getter so it is counted only when selected. */
export function connection<R, N>(page: Page<R>, map: (r: R) => N, limit: number) {
  const nodes = page.items.map(map);
  const edges = nodes.map((node, i) => ({ node, cursor: encodeCursor(page.offset + i) }));
  return {
    nodes,
    edges,
    page,
    get totalCount() {
      return page.totalCount();
    },
    pageInfo: {
      hasPreviousPage: page.offset > 0,
      // a full page may have more after it; a short one cannot
      hasNextPage: nodes.length === limit && limit > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
