import { NavLink, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { PAGES, type ConsolePage } from '../routes';

/** Pages grouped by section, in the order of the PAGES table. */
function sections(pages: readonly ConsolePage[]): { section?: string; pages: ConsolePage[] }[] {
  const out: { section?: string; pages: ConsolePage[] }[] = [];
  for (const page of pages) {
    const last = out[out.length - 1];
    if (last && page.section && last.section === page.section) last.pages.push(page);
    else out.push({ section: page.section, pages: [page] });
  }
  return out;
}

/** The navbar: one link per page, "User Management" heading Users and Groups. */
export function Navbar({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  const link = (page: ConsolePage) => (
    <NavLink
      key={page.path}
      component={Link}
      to={page.path}
      label={page.label}
      active={pathname === page.path || pathname.startsWith(`${page.path}/`)}
      aria-current={pathname === page.path ? 'page' : undefined}
      onClick={onNavigate}
    />
  );
  return (
    <Stack gap={4} component="nav" aria-label="Console">
      {sections(PAGES).map(({ section, pages }) =>
        section ? (
          <div key={section}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
              {section}
            </Text>
            {pages.map(link)}
          </div>
        ) : (
          pages.map(link)
        ),
      )}
    </Stack>
  );
}
