// The English / Norsk bokmål switch, in the console header and on the login and setup pages.
import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconChevronDown, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../common/settings.ts';
import { useSwitchLocale } from '../console/session.tsx';
import { currentLocale } from '../i18n/index.ts';
import { errorMessage } from './ErrorAlert.tsx';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const switchLocale = useSwitchLocale();
  const locale = currentLocale();

  function choose(next: Locale) {
    switchLocale(next).catch((error: unknown) =>
      notifications.show({ color: 'red', message: errorMessage(error, t) }),
    );
  }

  return (
    <Menu position="bottom-end" shadow="md" width={200}>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconLanguage size={18} />}
          rightSection={<IconChevronDown size={14} />}
          title={t('header.language')}
        >
          {t(`language.${locale}`)}
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
