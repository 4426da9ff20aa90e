import { Alert, Button, FileInput, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { errorMessage } from '../../components';
import { hasCode, IDP_LABEL } from '../provisioning/shared/format';
import { CONFIGURE_SAML } from './queries';

export interface MetadataFormProps {
  /** The IdP to update; absent: the form asks for a new label. */
  idp?: string;
  submitLabel: string;
  onSaved: (idp: string) => void;
}

/** Upload or paste an IdP's metadata XML → configureSaml; INVALID_VALUE messages show under the field. */
export function MetadataForm({ idp, submitLabel, onSaved }: MetadataFormProps) {
  const [label, setLabel] = useState('');
  const [labelError, setLabelError] = useState<string | null>(null);
  const [xml, setXml] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [xmlError, setXmlError] = useState<string | null>(null);
  const [otherError, setOtherError] = useState<string | null>(null);
  const [{ fetching }, configure] = useMutation(CONFIGURE_SAML);
  const suffix = idp ? ` for ${idp}` : '';

  const onFile = async (f: File | null) => {
    setFile(f);
    setXmlError(null);
    if (f) setXml(await f.text());
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setXmlError(null);
    setOtherError(null);
    setLabelError(null);
    const target = idp ?? label.trim().toLowerCase();
    if (!idp && !IDP_LABEL.test(target)) return setLabelError('Use a short label such as okta or entra: letters, digits, dot, underscore or hyphen.');
    if (!xml.trim()) return setXmlError('Upload the metadata file or paste its XML.');
    const r = await configure({ idp: target, metadataXml: xml });
    if (r.error) {
      if (hasCode(r.error, 'INVALID_VALUE')) setXmlError(errorMessage(r.error));
      else setOtherError(errorMessage(r.error));
      return;
    }
    setXml('');
    setFile(null);
    setLabel('');
    onSaved(target);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        {!idp && (
          <TextInput
            label="Identity provider label"
            description="A short label such as okta or entra: the same as its provisioning label."
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            error={labelError}
            required
          />
        )}
        <FileInput
          label={`Metadata XML file${suffix}`}
          description="The IdP's SAML metadata (Okta: Sign On → Metadata URL, saved as a file)."
          accept=".xml,application/xml,text/xml"
          value={file}
          onChange={(f) => void onFile(f)}
          clearable
        />
        <Textarea
          label={`Metadata XML${suffix}`}
          description="Or paste it here."
          value={xml}
          onChange={(e) => {
            setXml(e.currentTarget.value);
            setXmlError(null);
          }}
          error={xmlError}
          rows={5}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        />
        {otherError && (
          <Alert color="red" role="alert">
            {otherError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={fetching}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
