/** Test helpers for the Users and Groups pages: the whole console on a fake urql client. */
import { render, screen } from '@testing-library/react';
import { getOperationName } from '@urql/core';
import { MemoryRouter, useLocation } from 'react-router';
import { Client, makeResult, type Exchange, type Operation } from 'urql';
import { filter, fromValue, mergeMap, never, pipe } from 'wonka';
import { App } from '../../App';
import { AppProviders } from '../../AppProviders';

export interface FakeOp {
  name: string;
  kind: Operation['kind'];
  variables: Record<string, unknown>;
}

/** data to answer, an error message (a GraphQL error), or 'never' (still loading). */
export type FakeAnswer = { data: unknown } | { error: string } | 'never';

/** A urql client whose every operation is answered by `handler` (no fetch, no cache). */
export function fakeClient(handler: (op: FakeOp) => FakeAnswer) {
  const calls: FakeOp[] = [];
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind !== 'teardown'),
      mergeMap((op) => {
        const call = { name: getOperationName(op.query) ?? '', kind: op.kind, variables: (op.variables ?? {}) as Record<string, unknown> };
        calls.push(call);
        const answer = handler(call);
        if (answer === 'never') return never;
        if ('error' in answer) return fromValue(makeResult(op, { data: null, errors: [{ message: answer.error }] }));
        return fromValue(makeResult(op, { data: answer.data as Record<string, unknown> }));
      }),
    );
  const client = new Client({ url: '/graphql', exchanges: [exchange] });
  return { client, calls, last: (name: string) => calls.filter((c) => c.name === name).at(-1) };
}

function LocationProbe() {
  const { pathname, search } = useLocation();
  return <output data-testid="location">{pathname + search}</output>;
}

/** The current address inside the console (path and query string). */
export const currentLocation = () => screen.getByTestId('location').textContent ?? '';

/** The query string of the current address, parsed. */
export const currentParams = () => new URLSearchParams(currentLocation().split('?')[1] ?? '');

/** The console at `path` for a viewer with `role`, every other query answered by `handler`. */
export function renderConsole(path: string, handler: (op: FakeOp) => FakeAnswer, role = 'OWNER') {
  const fake = fakeClient((op) => (op.name === 'Viewer' ? { data: { viewer: { role, idp: null, credentialName: 'key', user: null } } } : handler(op)));
  const result = render(
    <MemoryRouter initialEntries={[path]}>
      <AppProviders client={fake.client}>
        <App />
        <LocationProbe />
      </AppProviders>
    </MemoryRouter>,
  );
  return { ...fake, ...result };
}

const T = '2024-05-01T10:00:00.000Z';

/** A user row as the list query answers it. */
export function userRow(over: Partial<Record<string, unknown>> & { id: string; userName: string }) {
  return {
    displayName: null,
    name: { formatted: null, givenName: null, familyName: null },
    email: null,
    active: true,
    source: 'local',
    lastModified: T,
    created: T,
    ...over,
  };
}

/** A full user as the detail query answers it. */
export function userDetail(over: Partial<Record<string, unknown>> & { id: string; userName: string }) {
  return {
    ...userRow(over),
    externalId: null,
    version: 3,
    nickName: null,
    profileUrl: null,
    title: null,
    userType: null,
    preferredLanguage: null,
    locale: null,
    timezone: null,
    hasPassword: false,
    secondEmail: null,
    mobilePhone: null,
    postalAddress: null,
    staticIp: null,
    macAddress: null,
    name: { formatted: null, givenName: null, familyName: null, middleName: null, honorificPrefix: null, honorificSuffix: null },
    emails: [],
    phoneNumbers: [],
    ims: [],
    photos: [],
    roles: [],
    entitlements: [],
    addresses: [],
    enterprise: { employeeNumber: null, costCenter: null, organization: null, division: null, department: null, manager: null },
    ...over,
  };
}
