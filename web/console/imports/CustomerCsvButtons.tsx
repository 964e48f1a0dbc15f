// The customer list's CSV buttons: "Import from CSV" (to the import page) and "Export CSV" (the
// list as it is filtered now, every page, as a download). Each shows only with its permission.
import { Button } from '@mantine/core';
import { IconFileExport, IconFileImport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { customerExportUrl } from '../../api/customer-imports.ts';
import type { CustomerListParams } from '../../api/kunde.ts';
import { useCan } from '../session.tsx';

export function CustomerCsvButtons({
  filter,
}: {
  filter: Omit<CustomerListParams, 'cursor' | 'limit'>;
}) {
  const { t } = useTranslation();
  const canImport = useCan('customers.import');
  const canExport = useCan('customers.export');
  return (
    <>
      {canImport && (
        <Button
          component={Link}
          to="/customers/import"
          variant="default"
          leftSection={<IconFileImport size={16} />}
        >
          {t('imports.action')}
        </Button>
      )}
      {canExport && (
        <Button
          component="a"
          href={customerExportUrl(filter)}
          download
          variant="default"
          leftSection={<IconFileExport size={16} />}
        >
          {t('imports.export')}
        </Button>
      )}
    </>
  );
}
