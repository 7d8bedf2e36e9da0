import { Alert, Anchor, Badge, createTheme, type CSSVariablesResolver, NavLink, TableScrollContainer } from '@mantine/core';

/**
 * Colours chosen for WCAG 2.1 AA contrast: the primary shade 8 keeps white text on filled
 * buttons above 4.5:1, and the "dimmed" text is a darker grey than the library's default.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  headings: { fontWeight: '650' },
  focusRing: 'auto',
  components: {
    // Links are underlined: colour alone does not tell a link in a sentence (WCAG 1.4.1).
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // The light variants' text (shade 6) is below 4.5:1 on their tinted background: dark text
    // on the tint (the status is also always written in words).
    Badge: Badge.extend({ vars: () => ({ root: { '--badge-color': 'var(--mantine-color-dark-8)' } }) }),
    Alert: Alert.extend({ vars: () => ({ root: { '--alert-color': 'var(--mantine-color-dark-8)' } }) }),
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
    // A table wider than the screen (768 px) scrolls sideways: its scrolling area takes the
    // keyboard focus so that arrow keys reach the hidden columns (WCAG 2.1.1, axe's
    // scrollable-region-focusable).
    TableScrollContainer: TableScrollContainer.extend({ defaultProps: { scrollAreaProps: { viewportProps: { tabIndex: 0 } } } }),
  },
});

/** Secondary ("dimmed") text in gray 7 (7:1 on white) instead of the library's gray 6 (3.3:1). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    // Error text and borders in red 9 (5.4:1) instead of red 6 (3.3:1).
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    // Outline buttons in red (delete, revoke): red 9 text and border, not red 6.
    '--mantine-color-red-outline': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
