import { Route, Routes } from 'react-router';
import GroupDetail from './groups/GroupDetail';
import GroupsList from './groups/GroupsList';

/** Groups (the router sends /groups/* here): the list, and /groups/:id for one group. */
export default function GroupsPage() {
  return (
    <Routes>
      <Route index element={<GroupsList />} />
      <Route path=":id" element={<GroupDetail />} />
      <Route path=":id/:tab" element={<GroupDetail />} />
    </Routes>
  );
}
