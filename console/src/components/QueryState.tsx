import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { EmptyState } from './EmptyState';

/** The part of an urql result this needs (UseQueryState fits). */
export interface QueryResultLike<T> {
  data?: T;
  fetching: boolean;
  error?: CombinedError;
}

export interface QueryStateProps<T> {
  result: QueryResultLike<T>;
  /** Runs the query again (e.g. `() => reexecute({ requestPolicy: 'network-only' })`). */
  onRetry: () => void;
  /** Whether the data counts as empty, e.g. `(d) => d.users.totalCount === 0`. */
  isEmpty?: (data: T) => boolean;
  emptyTitle?: string;
  emptyText?: ReactNode;
  children: (data: T) => ReactNode;
}

/** The messages of a CombinedError, without urql's "[GraphQL]" / "[Network]" prefixes. */
export function errorMessage(error: CombinedError): string {
  if (error.graphQLErrors.length > 0) return error.graphQLErrors.map((e) => e.message).join('\n');
  return error.networkError ? `Roster could not be reached: ${error.networkError.message}` : error.message;
}

/** Loading, error with retry, empty, or the data. */
export function QueryState<T>({ result, onRetry, isEmpty, emptyTitle = 'Nothing here yet', emptyText, children }: QueryStateProps<T>) {
  const { data, fetching, error } = result;
  if (error && !data) {
    return (
      <Alert color="red" title="Something went wrong" role="alert">
        <Stack gap="sm" align="flex-start">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {errorMessage(error)}
          </Text>
          <Button size="xs" variant="light" color="red" onClick={onRetry} loading={fetching}>
            Retry
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (data === undefined) {
    return (
      <Center py="xl">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (isEmpty?.(data)) return <EmptyState title={emptyTitle}>{emptyText}</EmptyState>;
  return <>{children(data)}</>;
}
