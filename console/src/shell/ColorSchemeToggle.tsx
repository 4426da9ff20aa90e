import { ActionIcon, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';

/** Light / dark: Mantine keeps the choice in localStorage (a preference, nothing secret). */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const next = scheme === 'dark' ? 'light' : 'dark';
  return (
    <ActionIcon variant="default" size="lg" onClick={() => setColorScheme(next)} aria-label={`Switch to ${next} mode`}>
      {scheme === 'dark' ? '☀' : '☾'}
    </ActionIcon>
  );
}
