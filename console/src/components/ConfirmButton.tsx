import { Button, Group, Modal, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';

export interface ConfirmButtonProps {
  /** The button's text, e.g. "Revoke". */
  children: ReactNode;
  /** The question, e.g. "Revoke this token?" */
  title: string;
  /** What will happen, in plain words. */
  message: ReactNode;
  confirmLabel?: string;
  color?: ButtonProps['color'];
  variant?: ButtonProps['variant'];
  disabled?: boolean;
  /** Runs on confirmation; the dialog stays open (buttons busy) until it settles, and shows its error if it throws. */
  onConfirm: () => void | Promise<void>;
}

/** A button for a destructive action that asks first. */
export function ConfirmButton({ children, title, message, confirmLabel = 'Confirm', color = 'red', variant = 'light', disabled, onConfirm }: ConfirmButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button color={color} variant={variant} disabled={disabled} onClick={open}>
        {children}
      </Button>
      <Modal opened={opened} onClose={busy ? () => undefined : close} title={title} centered>
        <Text size="sm">{message}</Text>
        {error && (
          <Text size="sm" c="red" mt="sm" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button color={color} onClick={() => void confirm()} loading={busy}>
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
