import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { formatDateTime } from '../provisioning/shared/format';
import type { SamlCertificateNode } from './queries';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A certificate expiring within this many days is flagged. */
export const EXPIRY_WARNING_DAYS = 30;

/** Expired, expiring within 30 days, or fine, as of `now`. */
export function expiryOf(notAfter: string, now: number = Date.now()): { state: 'expired' | 'soon' | 'ok'; days: number } {
  const days = Math.floor((new Date(notAfter).getTime() - now) / DAY_MS);
  if (new Date(notAfter).getTime() <= now) return { state: 'expired', days };
  return { state: days <= EXPIRY_WARNING_DAYS ? 'soon' : 'ok', days };
}

/** The IdP's signing certificates with subject and expiry; expired and expiring ones stand out. */
export function Certificates({ idp, certificates }: { idp: string; certificates: SamlCertificateNode[] }) {
  const headingId = `certificates-${idp}`;
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId}>
        Signing certificates
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label={`Signing certificates of ${idp}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Subject</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>SHA-256 fingerprint</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {certificates.map((c) => {
              const { state, days } = expiryOf(c.notAfter);
              return (
                <Table.Tr key={c.fingerprintSha256}>
                  <Table.Td>{c.subject}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text size="sm">{formatDateTime(c.notAfter)}</Text>
                      {state === 'expired' && (
                        <Badge color="red" role="alert">
                          Expired: sign-ins fail
                        </Badge>
                      )}
                      {state === 'soon' && (
                        <Badge color="orange" role="alert">
                          Expires in {days} {days === 1 ? 'day' : 'days'}
                        </Badge>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {c.fingerprintSha256}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {certificates.some((c) => expiryOf(c.notAfter).state !== 'ok') && (
        <Text size="sm" c="orange">
          When the IdP has a new certificate, upload its metadata again below: Roster accepts every certificate the metadata lists, so the old and new keys overlap.
        </Text>
      )}
    </Stack>
  );
}
