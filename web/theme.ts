// The one Mantine theme of the console and the Customer Hub, with Mantine's own labels for its
// built-in buttons in the page's language (they are English otherwise).
import {
  createTheme,
  Modal,
  Notification,
  PasswordInput,
  type MantineThemeOverride,
} from '@mantine/core';

export function kundeTheme(closeLabel: string, togglePasswordLabel: string): MantineThemeOverride {
  return createTheme({
    primaryColor: 'blue',
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
