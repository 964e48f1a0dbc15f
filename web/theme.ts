// The one Mantine theme of the console and the Customer Hub, with Mantine's own labels for its
// built-in buttons in the page's language (they are English otherwise), and colours dark enough
// for WCAG AA contrast (4.5:1 for text; axe-core checks every page in e2e/console-pages): Mantine's
// default filled blue (shade 6, 3.6:1 under white text), its dimmed grey (3.3:1) and its error
// red (3.3:1) are not.
import {
  createTheme,
  type CSSVariablesResolver,
  Modal,
  Notification,
  PasswordInput,
  type MantineThemeOverride,
} from '@mantine/core';

export function kundeTheme(closeLabel: string, togglePasswordLabel: string): MantineThemeOverride {
  return createTheme({
    primaryColor: 'blue',
    // Filled buttons, badges and links in shade 8: blue 4.9:1, red 4.7:1, green 4.6:1 on white.
    primaryShade: 8,
    defaultRadius: 'md',
    components: {
      Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }),
      Notification: Notification.extend({
        defaultProps: { closeButtonProps: { 'aria-label': closeLabel } },
      }),
      PasswordInput: PasswordInput.extend({
        defaultProps: { visibilityToggleButtonProps: { 'aria-label': togglePasswordLabel } },
      }),
    },
  });
}

/** Mantine's light-scheme text colours, darkened to pass AA contrast on white and on gray-0. */
export const kundeCssVariables: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    // Between gray-6 (3.3:1) and gray-7, so a placeholder still looks unlike a value: 4.7:1.
    '--mantine-color-placeholder': '#6c757d',
    // Light badges and buttons: the darkest shade on their tinted background (shade 8 is 4.4:1).
    ...Object.fromEntries(
      Object.keys(theme.colors).map((color) => [
        `--mantine-color-${color}-light-color`,
        `var(--mantine-color-${color}-9)`,
      ]),
    ),
  },
  dark: {},
});
