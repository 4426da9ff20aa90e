import { ActionIcon, CopyButton, TextInput, Tooltip } from '@mantine/core';
import { CheckIcon, CopyIcon } from './icons';

export interface CopyFieldProps {
  label: string;
  value: string;
  description?: string;
  /** Monospace for ids, URLs and secrets. */
  mono?: boolean;
}

/** A read-only value with a copy button, e.g. the SCIM base URL to paste into Okta. */
export function CopyField({ label, value, description, mono = true }: CopyFieldProps) {
  return (
    <TextInput
      label={label}
      description={description}
      value={value}
      readOnly
      onFocus={(e) => e.currentTarget.select()}
      styles={mono ? { input: { fontFamily: 'var(--mantine-font-family-monospace)' } } : undefined}
      rightSection={
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
              <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={copied ? `${label} copied` : `Copy ${label}`}>
                {copied ? <CheckIcon /> : <CopyIcon />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}
