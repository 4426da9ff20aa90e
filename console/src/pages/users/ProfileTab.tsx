import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useMutation } from 'urql';
import { UPDATE_USER, type Address, type MultiValue, type UserDetail as User } from './api';
import { Field, throwIfError, TimeAgo } from './shared';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h5" mb="sm">
        {title}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md">
        {children}
      </SimpleGrid>
    </Paper>
  );
}

const multi = (values: MultiValue[]) =>
  values.length === 0
    ? null
    : values.map((v, i) => (
        <span key={i} style={{ display: 'block' }}>
          {v.value}
          {v.type ? ` (${v.type})` : ''}
          {v.primary ? ' · primary' : ''}
        </span>
      ));

const address = (a: Address) => a.formatted || [a.streetAddress, a.locality, a.region, a.postalCode, a.country].filter(Boolean).join(', ');

/** Every core, enterprise and product-extension attribute, read-only; local users get an edit form. */
export function ProfileTab({ user, canEdit, onSaved }: { user: User; canEdit: boolean; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  if (editing) return <EditUserForm user={user} onDone={(saved) => (setEditing(false), saved && onSaved())} />;
  const e = user.enterprise;
  return (
    <Stack gap="md">
      {canEdit && (
        <Group justify="flex-end">
          <Button variant="light" onClick={() => setEditing(true)} aria-label="Edit profile">
            Edit
          </Button>
        </Group>
      )}
      <Section title="Core">
        <Field label="userName">{user.userName}</Field>
        <Field label="Display name">{user.displayName}</Field>
        <Field label="Given name">{user.name.givenName}</Field>
        <Field label="Middle name">{user.name.middleName}</Field>
        <Field label="Family name">{user.name.familyName}</Field>
        <Field label="Formatted name">{user.name.formatted}</Field>
        <Field label="Honorific prefix">{user.name.honorificPrefix}</Field>
        <Field label="Honorific suffix">{user.name.honorificSuffix}</Field>
        <Field label="Nickname">{user.nickName}</Field>
        <Field label="Title">{user.title}</Field>
        <Field label="User type">{user.userType}</Field>
        <Field label="Preferred language">{user.preferredLanguage}</Field>
        <Field label="Locale">{user.locale}</Field>
        <Field label="Time zone">{user.timezone}</Field>
        <Field label="Profile URL">{user.profileUrl}</Field>
        <Field label="Password">{user.hasPassword ? 'Set' : 'Not set'}</Field>
      </Section>
      <Section title="Contact (as Okta maps them)">
        <Field label="Primary email">{user.email}</Field>
        <Field label="Second email (type other)">{user.secondEmail}</Field>
        <Field label="Mobile phone (type mobile)">{user.mobilePhone}</Field>
        <Field label="Postal address">{user.postalAddress}</Field>
        <Field label="All emails">{multi(user.emails)}</Field>
        <Field label="All phone numbers">{multi(user.phoneNumbers)}</Field>
        <Field label="All addresses">
          {user.addresses.length === 0
            ? null
            : user.addresses.map((a, i) => (
                <span key={i} style={{ display: 'block' }}>
                  {address(a)}
                  {a.type ? ` (${a.type})` : ''}
                  {a.primary ? ' · primary' : ''}
                </span>
              ))}
        </Field>
        <Field label="IMs">{multi(user.ims)}</Field>
        <Field label="Photos">{multi(user.photos)}</Field>
      </Section>
      <Section title="Enterprise">
        <Field label="Employee number">{e.employeeNumber}</Field>
        <Field label="Cost center">{e.costCenter}</Field>
        <Field label="Organization">{e.organization}</Field>
        <Field label="Division">{e.division}</Field>
        <Field label="Department">{e.department}</Field>
        <Field label="Manager">{e.manager ? e.manager.displayName || e.manager.value : null}</Field>
      </Section>
      <Section title="Product extension (querypie:2.0:User)">
        <Field label="Static IP">{user.staticIp}</Field>
        <Field label="MAC address">{user.macAddress}</Field>
      </Section>
      <Section title="Access">
        <Field label="Roles">{multi(user.roles)}</Field>
        <Field label="Entitlements">{multi(user.entitlements)}</Field>
      </Section>
      <Section title="Record">
        <Field label="id">
          <Text span ff="monospace" size="sm">
            {user.id}
          </Text>
        </Field>
        <Field label="externalId">{user.externalId}</Field>
        <Field label="Auth Provider">{user.source === 'local' ? 'Local' : user.source}</Field>
        <Field label="Created">
          <TimeAgo iso={user.created} />
        </Field>
        <Field label="Last change">
          <TimeAgo iso={user.lastModified} />
        </Field>
        <Field label="Version">{String(user.version)}</Field>
      </Section>
    </Stack>
  );
}

type FormKey =
  | 'userName'
  | 'displayName'
  | 'givenName'
  | 'familyName'
  | 'email'
  | 'secondEmail'
  | 'mobilePhone'
  | 'postalAddress'
  | 'title'
  | 'department'
  | 'employeeNumber'
  | 'organization'
  | 'staticIp'
  | 'macAddress';

const FIELDS: { key: FormKey; label: string }[] = [
  { key: 'userName', label: 'userName' },
  { key: 'displayName', label: 'Display name' },
  { key: 'givenName', label: 'Given name' },
  { key: 'familyName', label: 'Family name' },
  { key: 'email', label: 'Primary email' },
  { key: 'secondEmail', label: 'Second email' },
  { key: 'mobilePhone', label: 'Mobile phone' },
  { key: 'postalAddress', label: 'Postal address' },
  { key: 'title', label: 'Title' },
  { key: 'department', label: 'Department' },
  { key: 'employeeNumber', label: 'Employee number' },
  { key: 'organization', label: 'Organization' },
  { key: 'staticIp', label: 'Static IP' },
  { key: 'macAddress', label: 'MAC address' },
];

function initial(u: User): Record<FormKey, string> {
  return {
    userName: u.userName,
    displayName: u.displayName ?? '',
    givenName: u.name.givenName ?? '',
    familyName: u.name.familyName ?? '',
    email: u.email ?? '',
    secondEmail: u.secondEmail ?? '',
    mobilePhone: u.mobilePhone ?? '',
    postalAddress: u.postalAddress ?? '',
    title: u.title ?? '',
    department: u.enterprise.department ?? '',
    employeeNumber: u.enterprise.employeeNumber ?? '',
    organization: u.enterprise.organization ?? '',
    staticIp: u.staticIp ?? '',
    macAddress: u.macAddress ?? '',
  };
}

/** The updateUser input for what changed (only that: updateUser keeps what is left out; an empty field clears). */
export function changedInput(u: User, before: Record<FormKey, string>, after: Record<FormKey, string>): Record<string, unknown> {
  const changed = (k: FormKey) => before[k] !== after[k];
  const val = (k: FormKey) => (after[k].trim() === '' ? null : after[k].trim());
  const input: Record<string, unknown> = {};
  for (const k of ['userName', 'displayName', 'secondEmail', 'mobilePhone', 'postalAddress', 'title', 'staticIp', 'macAddress'] as const) if (changed(k)) input[k] = val(k);
  if (changed('givenName') || changed('familyName')) input.name = { ...withoutTypename(u.name), givenName: val('givenName'), familyName: val('familyName') };
  if (changed('email')) {
    const emails = u.emails.map(withoutTypename);
    const at = Math.max(
      emails.findIndex((e) => e.primary),
      0,
    );
    const value = val('email');
    if (emails.length === 0) {
      if (value) emails.push({ value, type: 'work', primary: true, display: null });
    } else if (value) emails[at] = { ...emails[at]!, value };
    else emails.splice(at, 1);
    input.emails = emails;
  }
  if (changed('department') || changed('employeeNumber') || changed('organization')) {
    const e = u.enterprise;
    input.enterprise = {
      costCenter: e.costCenter,
      division: e.division,
      manager: e.manager?.value ?? null,
      department: val('department'),
      employeeNumber: val('employeeNumber'),
      organization: val('organization'),
    };
  }
  return input;
}

function withoutTypename<T extends object>(o: T): T {
  const { __typename: _t, ...rest } = o as T & { __typename?: string };
  return rest as T;
}

/** The main attributes of a local user, saved with updateUser (only the fields changed). */
function EditUserForm({ user, onDone }: { user: User; onDone: (saved: boolean) => void }) {
  const [before] = useState(() => initial(user));
  const [values, setValues] = useState(before);
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, update] = useMutation(UPDATE_USER);

  const save = async () => {
    setError(null);
    const input = changedInput(user, before, values);
    if (Object.keys(input).length === 0) return onDone(false);
    try {
      throwIfError(await update({ id: user.id, input, expectedVersion: user.version }));
      onDone(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={(e) => (e.preventDefault(), void save())} aria-label="Edit user">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        {FIELDS.map(({ key, label }) => (
          <TextInput key={key} label={label} value={values[key]} required={key === 'userName'} onChange={(e) => setValues({ ...values, [key]: e.currentTarget.value })} />
        ))}
      </SimpleGrid>
      {error && (
        <Alert color="red" mt="md" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => onDone(false)} disabled={fetching}>
          Cancel
        </Button>
        <Button type="submit" loading={fetching}>
          Save
        </Button>
      </Group>
    </Paper>
  );
}
