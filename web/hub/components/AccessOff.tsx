// What a customer whose Hub access is switched off sees after a correct credential: the account's
// support contact message in their language, its email and phone, and nothing else.
import { Anchor, Button, Stack, Text } from '@mantine/core';
import { IconMail, IconPhone } from '@tabler/icons-react';
import type { SupportContact } from '../../../common/hub.ts';
import { formatPhoneText } from '../../../common/phone-format.ts';
import { useSite } from '../session.tsx';
import { useHubT } from '../i18n/index.ts';
import { PublicFrame } from './PublicFrame.tsx';

export function AccessOff(props: {
  accountName: string;
  supportContact: SupportContact;
  onBack: () => void;
}) {
  const { t, locale } = useHubT();
  const { message, email, phone } = props.supportContact;
  const site = useSite();
  // Free text from older settings is shown as written unless it is one valid number.
  const formatted = phone ? formatPhoneText(phone, site.phoneCountry) : null;
  const text = message[locale].trim() || message.en.trim() || message.nb.trim();
  return (
    <PublicFrame accountName={props.accountName} title={t('accessOff.title')}>
      <Stack>
        <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="support-message">
          {text || t('accessOff.fallback')}
        </Text>
        {email && (
          <Text>
            <IconMail size={16} aria-hidden style={{ verticalAlign: 'middle' }} />{' '}
            {t('accessOff.email')}: <Anchor href={`mailto:${email}`}>{email}</Anchor>
          </Text>
        )}
        {phone && (
          <Text>
            <IconPhone size={16} aria-hidden style={{ verticalAlign: 'middle' }} />{' '}
            {t('accessOff.phone')}:{' '}
            <Anchor
              href={formatted?.href ?? `tel:${phone.replace(/[^\d+]/g, '')}`}
              title={formatted?.e164}
            >
              {formatted?.text ?? phone}
            </Anchor>
          </Text>
        )}
        <Button variant="subtle" onClick={props.onBack}>
          {t('accessOff.back')}
        </Button>
      </Stack>
    </PublicFrame>
  );
}
