// A phone number as the console shows it (issue 16 point 6): national for the account's default
// country (Administration → Customers), international for others, the stored E.164 number as the
// title and in the tel: link. The API answers E.164 unchanged; only this display differs. Free
// text typed as a phone (a location's) is formatted only when it is one valid number.
import { Anchor, Text, type MantineSize } from '@mantine/core';
import { useCallback } from 'react';
import { customerDisplayName, type Customer } from '../../common/customer.ts';
import { formatNameOrPhone, formatPhone, formatPhoneText } from '../../common/phone-format.ts';
import { useAccountSettings } from '../api/account-data.ts';

/** Formats numbers for text that joins several values ("email · phone"). */
export function usePhoneFormat(): (stored: string) => string {
  const country = useAccountSettings().data?.phoneDefaultCountry;
  return useCallback((stored: string) => formatPhone(stored, country).text, [country]);
}

/** A name the server made (a ticket's requester): a phone-only customer's number formatted. */
export function useNameFormat(): (name: string) => string {
  const country = useAccountSettings().data?.phoneDefaultCountry;
  return useCallback((name: string) => formatNameOrPhone(name, country), [country]);
}

type NamedCustomer = Pick<Customer, 'firstName' | 'lastName' | 'email' | 'phone'>;

/** customerDisplayName with a phone-only customer's number in the account's format. */
export function useCustomerDisplayName(): (customer: NamedCustomer) => string {
  const format = usePhoneFormat();
  return useCallback((customer: NamedCustomer) => customerDisplayName(customer, format), [format]);
}

export function PhoneNumber({
  value,
  link = true,
  size = 'sm',
  freeText = false,
}: {
  value: string;
  /** A tel: link (default), or plain text where the row itself is the link. */
  link?: boolean;
  size?: MantineSize;
  /** Typed as text, not normalized to E.164: shown as written unless it is one valid number. */
  freeText?: boolean;
}) {
  const country = useAccountSettings().data?.phoneDefaultCountry;
  const phone = freeText ? formatPhoneText(value, country) : formatPhone(value, country);
  if (!phone) {
    return (
      <Text span size={size}>
        {value}
      </Text>
    );
  }
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
