/**
 * The baseline of `npm run bench console`: a bare Vite page of the console's component library
 * (Mantine, its styles, React) that asks the API for the same first page of users and shows it
 * in a table, and nothing else: no router, no server-state library, no translations, no session
 * handling. The console's figures are printed beside this page's, measured in the same run.
 */
import '@mantine/core/styles.css';
import { AppShell, MantineProvider, Table, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

interface User {
  id: string;
  lastName: string;
  firstName: string;
  email: string;
  clientType: string;
  status: string;
}

function UsersList() {
  const [users, setUsers] = useState<User[]>([]);
  useEffect(() => {
    const { accessToken } = JSON.parse(sessionStorage.getItem('procura.session') ?? '{}') as { accessToken?: string };
    const companyId = new URLSearchParams(location.search).get('company');
    void fetch(`/api/v1/companies/${companyId}/users?page=1&pageSize=25`, { headers: { Authorization: `Bearer ${accessToken}` } })
      .then((response) => response.json() as Promise<{ items: User[] }>)
      .then((page) => setUsers(page.items));
  }, []);
  return (
    <AppShell header={{ height: 60 }} padding="lg">
      <AppShell.Header p="md">Baseline</AppShell.Header>
      <AppShell.Main>
        <Title order={1}>Users</Title>
        <Table>
          <Table.Tbody>
            {users.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>
                  <a href={`/users/${u.id}`}>
                    {u.lastName} {u.firstName}
                  </a>
                </Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>{u.clientType}</Table.Td>
                <Table.Td>{u.status}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </AppShell.Main>
    </AppShell>
  );
}

createRoot(document.getElementById('root')!).render(
  <MantineProvider>
    <UsersList />
  </MantineProvider>,
);
