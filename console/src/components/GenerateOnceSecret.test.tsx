import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderUi } from '../test/render';
import { GenerateOnceSecret } from './GenerateOnceSecret';

describe('GenerateOnceSecret', () => {
  it('shows the secret once, says so, copies it and lets the admin close it', async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    renderUi(<GenerateOnceSecret label="SCIM token" secret="rst_scim_abc123" onDone={onDone} />);

    expect(screen.getByRole('alert')).toHaveTextContent(/will not be shown again/i);
    expect(screen.getByLabelText('SCIM token')).toHaveValue('rst_scim_abc123');

    await user.click(screen.getByRole('button', { name: 'Copy SCIM token' }));
    expect(await navigator.clipboard.readText()).toBe('rst_scim_abc123');

    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(onDone).toHaveBeenCalledOnce();
  });

  it('has no close button when the caller does not ask for one', () => {
    renderUi(<GenerateOnceSecret label="API key" secret="k" />);
    expect(screen.queryByRole('button', { name: 'I have copied it' })).not.toBeInTheDocument();
  });
});
