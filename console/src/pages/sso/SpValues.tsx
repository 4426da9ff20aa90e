import { Stack, Table, Text, Title } from '@mantine/core';
import { CopyField } from '../../components';
import { idpName } from '../provisioning/shared/format';
import { CopyText } from './CopyText';
import { ATTRIBUTE_STATEMENTS } from './queries';

/** The SP values to paste into the IdP's SAML app: SSO URL, audience, attribute statements. */
export function SpValues({ idp, acsUrl, spEntityId }: { idp: string; acsUrl: string; spEntityId: string }) {
  const headingId = `sp-values-${idp}`;
  const entra = /^(entra|azure)/i.test(idp);
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId}>
        Values to paste into {idpName(idp)}
      </Title>
      <CopyField
        label={entra ? 'Reply URL (Assertion Consumer Service URL)' : 'Single sign-on URL'}
        value={acsUrl}
        description={entra ? undefined : 'Okta: also "Use this for Recipient URL and Destination URL".'}
      />
      <CopyField label={entra ? 'Identifier (Entity ID)' : 'Audience URI (SP Entity ID)'} value={spEntityId} />
      <Text size="sm" fw={500} mt="xs">
        Attribute statements (Name format: Unspecified)
      </Text>
      <Table.ScrollContainer minWidth={420}>
        <Table aria-label={`Attribute statements for ${idp}`} withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Name format</Table.Th>
              <Table.Th>Value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ATTRIBUTE_STATEMENTS.map((a) => (
              <Table.Tr key={a.name}>
                <Table.Td>
                  <CopyText value={a.name} what={`attribute name ${a.name}`} />
                </Table.Td>
                <Table.Td>Unspecified</Table.Td>
                <Table.Td>
                  <CopyText value={a.value} what={`value of ${a.name}`} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
