import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderUi } from '../test/render';
import { CopyField } from './CopyField';

describe('CopyField', () => {
  it('shows the value read-only and copies it to the clipboard', async () => {
    const user = userEvent.setup();
    renderUi(<CopyField label="SCIM base URL" value="https://roster.example/scim/v2" />);
    const input = screen.getByLabelText('SCIM base URL');
    expect(input).toHaveValue('https://roster.example/scim/v2');
    expect(input).toHaveAttribute('readonly');

    await user.click(screen.getByRole('button', { name: 'Copy SCIM base URL' }));
    expect(await navigator.clipboard.readText()).toBe('https://roster.example/scim/v2');
    expect(await screen.findByRole('button', { name: 'SCIM base URL copied' })).toBeInTheDocument();
  });
});
