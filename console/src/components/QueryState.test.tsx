import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError } from 'urql';
import { describe, expect, it, vi } from 'vitest';
import { renderUi } from '../test/render';
import { QueryState } from './QueryState';

type Data = { users: string[] };
const show = (data: Data) => (
  <ul>
    {data.users.map((u) => (
      <li key={u}>{u}</li>
    ))}
  </ul>
);

describe('QueryState', () => {
  it('shows a loader while the first answer is on its way', () => {
    renderUi(
      <QueryState<Data> result={{ fetching: true }} onRetry={() => undefined}>
        {show}
      </QueryState>,
    );
    expect(screen.getByLabelText('Loading')).toBeInTheDocument();
  });

  it('shows the error and retries', async () => {
    const onRetry = vi.fn();
    const error = new CombinedError({ graphQLErrors: [{ message: 'Only an OWNER may do that.' }] });
    renderUi(
      <QueryState<Data> result={{ fetching: false, error }} onRetry={onRetry}>
        {show}
      </QueryState>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Only an OWNER may do that.');
    expect(screen.getByRole('alert')).not.toHaveTextContent('[GraphQL]');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('says when the network failed', () => {
    const error = new CombinedError({ networkError: new Error('Failed to fetch') });
    renderUi(
      <QueryState<Data> result={{ fetching: false, error }} onRetry={() => undefined}>
        {show}
      </QueryState>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Roster could not be reached: Failed to fetch');
  });

  it('shows the empty state', () => {
    renderUi(
      <QueryState<Data> result={{ fetching: false, data: { users: [] } }} onRetry={() => undefined} isEmpty={(d) => d.users.length === 0} emptyTitle="No users yet" emptyText="Provision some.">
        {show}
      </QueryState>,
    );
    expect(screen.getByText('No users yet')).toBeInTheDocument();
    expect(screen.getByText('Provision some.')).toBeInTheDocument();
  });

  it('renders the data', () => {
    renderUi(
      <QueryState<Data> result={{ fetching: false, data: { users: ['ada', 'grace'] } }} onRetry={() => undefined} isEmpty={(d) => d.users.length === 0}>
        {show}
      </QueryState>,
    );
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['ada', 'grace']);
  });
});
