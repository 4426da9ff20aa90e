import { Route, Routes } from 'react-router';
import UserDetail from './users/UserDetail';
import UsersList from './users/UsersList';

/** Users (the router sends /users/* here): the list, and /users/:id[/:tab] for one user. */
export default function UsersPage() {
  return (
    <Routes>
      <Route index element={<UsersList />} />
      <Route path=":id" element={<UserDetail />} />
      <Route path=":id/:tab" element={<UserDetail />} />
    </Routes>
  );
}
