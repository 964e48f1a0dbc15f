// The one Mantine theme of the console and the Customer Hub, with Mantine's own labels for its
// built-in buttons in the page's language (they are English otherwise), and colours dark enough
// for WCAG AA contrast (4.5:1 for text; axe-core checks every page in e2e/console-pages): Mantine's
// default filled blue (shade 6, 3.6:1 under white text), its dimmed grey (3.3:1) and its error
// red (3.3:1) are not.
import {
  createTheme,
  type CSSVariablesResolver,
  darken,
  luminance,
  type MantineTheme,
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

/** WCAG contrast ratio of two colours (1 to 21). */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

/**
 * The lightest of a colour's dark shades, darkened further in steps, that reads at 4.6:1 on every
 * given background: Mantine's own choices (shade 9 on shade 1 for light badges and buttons, the
 * primary shade on white for outline ones) are 2.7:1 to 3.9:1 for green, orange, yellow, teal and
 * lime, and red outline text falls under 4.5:1 on its hover tint.
 */
function readableShade(theme: MantineTheme, color: string, backgrounds: string[]): string {
  const shades = theme.colors[color] ?? [];
  const darkest = shades[9] ?? '#000000';
  const candidates = [
    shades[8],
    darkest,
    ...[0.1, 0.2, 0.3, 0.4, 0.5].map((amount) => darken(darkest, amount)),
  ];
  return (
    candidates.find(
      (candidate) =>
        candidate !== undefined &&
        backgrounds.every((background) => contrast(candidate, background) >= 4.6),
    ) ?? darken(darkest, 0.6)
  );
}

/** Mantine's light-scheme text colours, darkened to pass AA contrast on white and on gray-0. */
export const kundeCssVariables: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    // Between gray-6 (3.3:1) and gray-7, so a placeholder still looks unlike a value: 4.7:1.
    '--mantine-color-placeholder': '#6c757d',
    ...Object.fromEntries(
      Object.keys(theme.colors).flatMap((color) => {
        const shades = theme.colors[color] ?? [];
        const tint = (shade: number) => shades[shade] ?? '#ffffff';
        return [
          // Light badges and buttons: text on shade 1, shade 2 while hovered.
          [`--mantine-color-${color}-light-color`, readableShade(theme, color, [tint(1), tint(2)])],
          // Outline buttons and badges: on the page (white or gray-0) and their faint hover tint.
          [
            `--mantine-color-${color}-outline`,
            readableShade(theme, color, [tint(0), theme.colors.gray?.[0] ?? '#f8f9fa']),
          ],
        ];
      }),
    ),
  },
  dark: {},
});
