import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderUi } from '../test/render';
import { ConfirmButton } from './ConfirmButton';

const setup = (onConfirm: () => void | Promise<void>) => {
  const user = userEvent.setup();
  renderUi(
    <ConfirmButton title="Revoke this token?" message="Okta's provisioning stops at once." confirmLabel="Revoke" onConfirm={onConfirm}>
      Revoke token
    </ConfirmButton>,
  );
  return user;
};

describe('ConfirmButton', () => {
  it('asks before acting, and does nothing on Cancel', async () => {
    const onConfirm = vi.fn();
    const user = setup(onConfirm);
    await user.click(screen.getByRole('button', { name: 'Revoke token' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke this token?' });
    expect(dialog).toHaveTextContent("Okta's provisioning stops at once.");

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('acts on confirmation and closes', async () => {
    const onConfirm = vi.fn(async () => undefined);
    const user = setup(onConfirm);
    await user.click(screen.getByRole('button', { name: 'Revoke token' }));
    await user.click(await screen.findByRole('button', { name: 'Revoke' }));
    expect(onConfirm).toHaveBeenCalledOnce();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('stays open and shows the error when the action fails', async () => {
    const user = setup(async () => {
      throw new Error('The token is already revoked.');
    });
    await user.click(screen.getByRole('button', { name: 'Revoke token' }));
    await user.click(await screen.findByRole('button', { name: 'Revoke' }));
    expect(await screen.findByText('The token is already revoked.')).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });
});
