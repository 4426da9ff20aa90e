import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { Page } from '../../domain/list.js';

/** Relay page info. */
@ObjectType({ simpleResolvers: true, description: 'Relay page info.' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor?: string | null;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
}

/** Opaque cursors encode the position in the ordered list. */
export const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

/** Reads a cursor; null when malformed. */
export function decodeCursor(cursor: string): number | null {
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

/** Builds a Relay connection type for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String) cursor!: string;
    @Field(() => node) node!: T;
  }

  // Not simpleResolvers: totalCount is a getter that returns a promise (counted only when selected),
  // and graphql-jit reads a field without a resolver as a plain, settled value.
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => [node], { description: 'the nodes of the edges, for clients that need no cursors' }) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'how many match the filter (counted only when asked for)' })
    totalCount!: number | (() => Promise<number>);
    page!: Page<unknown>;
  }
  return ConnectionType;
}
