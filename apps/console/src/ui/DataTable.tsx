import { Table, type TableProps } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The console's list table: striped, column headers scoped for screen readers, and a
 * horizontal scroll below `minWidth` so narrow screens scroll instead of squeezing.
 * `columns` may hold `false` for a column shown only in some cases.
 */
export function DataTable({
  columns,
  minWidth,
  children,
  ...tableProps
}: { columns: (ReactNode | false)[]; minWidth?: number; children: ReactNode } & Omit<TableProps, 'children'>) {
  const table = (
    <Table striped {...tableProps}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column, i) =>
            column === false ? null : (
              <Table.Th scope="col" key={i}>
                {column}
              </Table.Th>
            ),
          )}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
  return minWidth === undefined ? table : <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer>;
}
