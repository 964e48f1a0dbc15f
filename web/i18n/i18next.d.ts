// Typed translation keys: `t('customers.new')` is checked against the English resources.
import type { resources } from './index.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: (typeof resources)['en'];
  }
}
