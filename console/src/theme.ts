import { createTheme, Modal } from '@mantine/core';

/**
 * Mantine's theme. respectReducedMotion: no transitions for people (and browser tests) that ask for
 * none. Shade 8 and autoContrast: filled buttons and badges meet the WCAG AA contrast of 4.5:1
 * (Mantine's default shade 6 under white text does not), which the end-to-end axe scan checks;
 * contrast.css darkens the text colours of the light scheme likewise.
 */
export const theme = createTheme({
  respectReducedMotion: true,
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  defaultRadius: 'md',
  // every dialog's close button has a name for screen readers (Mantine's has none by default)
  components: { Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }) },
});
