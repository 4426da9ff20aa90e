import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterOperator, FilterScalar, FilterTree } from '../../domain/filter/filter-tree.js';
import { FilterValueScalar } from '../types/scalars.js';

/** Comparison operators of the filter tree (those of RFC 7644 §3.4.2.2). */
export enum FilterOp {
  EQ = 'eq',
  NE = 'ne',
  CO = 'co',
  SW = 'sw',
  EW = 'ew',
  GT = 'gt',
  GE = 'ge',
  LT = 'lt',
  LE = 'le',
  PR = 'pr',
}
registerEnumType(FilterOp, { name: 'FilterOperator', description: 'eq ne co sw ew gt ge lt le (compare with value) and pr (present)' });

/** Sort direction. */
export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortOrder, { name: 'SortOrder' });

/** One comparison. */
@InputType({ description: 'Compare an attribute path with a value, e.g. {path: "emails.value", op: EQ, value: "a@b.c"}.' })
export class CompareInput {
  @Field(() => String, { description: 'attribute path: userName, name.familyName, emails.value, meta.lastModified, urn:…:enterprise:2.0:User:department…' })
  path!: string;
  @Field(() => FilterOp) op!: FilterOp;
  @Field(() => FilterValueScalar, { nullable: true }) value?: FilterScalar;
}

/** The shape of a FilterInput, for type annotations that must not emit class metadata. */
export interface FilterNodeShape {
  and?: FilterNodeShape[];
  or?: FilterNodeShape[];
  not?: FilterNodeShape;
  compare?: { path: string; op: FilterOp; value?: FilterScalar };
  any?: { path: string; where: FilterNodeShape };
}

/** An element filter on a multi-valued attribute. */
@InputType({ description: 'True when some value of a multi-valued attribute matches `where`, e.g. emails with type "work" and value containing "@x".' })
export class AnyInput {
  @Field(() => String, { description: 'a multi-valued attribute: emails, phoneNumbers, addresses, members, groups…' }) path!: string;
  // typed by an interface: a class type here would make the emitted metadata read FilterInput before it exists
  @Field(() => FilterInput, { description: 'paths inside are sub-attribute names: type, value, primary…' }) where!: FilterNodeShape;
}

/** A node of the filter tree: set exactly one field. */
@InputType({ description: 'A filter tree; set exactly one of and, or, not, compare, any. Executed in SQL.' })
export class FilterInput {
  @Field(() => [FilterInput], { nullable: true }) and?: FilterInput[];
  @Field(() => [FilterInput], { nullable: true }) or?: FilterInput[];
  @Field(() => FilterInput, { nullable: true }) not?: FilterNodeShape;
  @Field(() => CompareInput, { nullable: true }) compare?: CompareInput;
  @Field(() => AnyInput, { nullable: true }) any?: FilterNodeShape['any'];
}

/** Ordering of a list. */
@InputType({ description: 'Sort by one attribute; ties are broken by id, so pages are stable.' })
export class OrderByInput {
  @Field(() => String) path!: string;
  @Field(() => SortOrder, { defaultValue: SortOrder.ASC }) direction!: SortOrder;
}

/** The GraphQL input as the domain's filter tree. */
export function toFilterTree(input: FilterNodeShape | null | undefined): FilterTree | undefined {
  if (!input) return undefined;
  return {
    and: input.and?.map((n) => toFilterTree(n)!),
    or: input.or?.map((n) => toFilterTree(n)!),
    not: toFilterTree(input.not),
    compare: input.compare ? { path: input.compare.path, op: input.compare.op as FilterOperator, value: input.compare.value ?? null } : undefined,
    any: input.any ? { path: input.any.path, where: toFilterTree(input.any.where)! } : undefined,
  };
}
