// A phone number as the console shows it (issue 16 point 6): national for the account's default
// country (Administration → Customers), international for others, the stored E.164 number as the
// title and in the tel: link. The API answers E.164 unchanged; only this display differs.
import { Anchor, Text, type MantineSize } from '@mantine/core';
import { useCallback } from 'react';
import { formatPhone } from '../../common/phone-format.ts';
import { useAccountSettings } from '../api/account-data.ts';

/** Formats numbers for text that joins several values ("email · phone"). */
export function usePhoneFormat(): (stored: string) => string {
  const country = useAccountSettings().data?.phoneDefaultCountry;
  return useCallback((stored: string) => formatPhone(stored, country).text, [country]);
}

export function PhoneNumber({
  value,
  link = true,
  size = 'sm',
}: {
  value: string;
  /** A tel: link (default), or plain text where the row itself is the link. */
  link?: boolean;
  size?: MantineSize;
}) {
  const country = useAccountSettings().data?.phoneDefaultCountry;
  const phone = formatPhone(value, country);
  if (!link) {
    return (
      <Text span size={size} title={phone.e164} style={{ whiteSpace: 'nowrap' }}>
        {phone.text}
      </Text>
    );
  }
  return (
    <Anchor
      href={phone.href}
      size={size}
      title={phone.e164}
      draggable={false}
      style={{ whiteSpace: 'nowrap' }}
    >
      {phone.text}
    </Anchor>
  );
}
