// The EN / NB switch in the Hub's header: short enough for a phone's header, the language's own
// name in the menu. Signed in, the choice is kept by the server for the customer (session.tsx).
import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { LOCALES, type Locale } from '../../../common/settings.ts';
import { useSwitchLocale } from '../session.tsx';
import { useHubT } from '../i18n/index.ts';
import { hubErrorMessage } from './HubError.tsx';

export function LanguageMenu() {
  const { t, i18nT, locale } = useHubT();
  const switchLocale = useSwitchLocale();

  function choose(next: Locale) {
    switchLocale(next).catch((error: unknown) =>
      notifications.show({ color: 'red', message: hubErrorMessage(error, t, i18nT, locale) }),
    );
  }

  return (
    <Menu position="bottom-end" shadow="md" width={180}>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          px="xs"
          leftSection={<IconLanguage size={18} aria-hidden />}
          // Starts with the visible "EN" / "NB", so speech input ("click EN") finds the button.
          aria-label={`${locale.toUpperCase()}, ${t('header.languageCurrent', { language: t(`language.${locale}`) })}`}
        >
          {locale.toUpperCase()}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('header.language')}</Menu.Label>
        {LOCALES.map((option) => (
          <Menu.Item
            key={option}
            lang={option}
            onClick={() => choose(option)}
            rightSection={option === locale ? <IconCheck size={14} /> : null}
          >
            {t(`language.${option}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
