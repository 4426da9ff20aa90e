import { createTheme } from '@mantine/core';

/** Mantine's theme. respectReducedMotion: no transitions for people (and browser tests) that ask for none. */
export const theme = createTheme({
  respectReducedMotion: true,
  primaryColor: 'blue',
  defaultRadius: 'md',
});
