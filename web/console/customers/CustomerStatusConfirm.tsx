// The "are you sure?" before customers are deactivated or reactivated: one customer by name
// ("Deactivate Kari Nordmann?", with what it means for them) or a count of them. The customer
// list's row menu and bulk actions and the customer page ask with this one dialog.
import { useTranslation } from 'react-i18next';
import type { CustomerBulkAction } from '../../../common/customer-bulk.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { formatNumber } from '../../i18n/index.ts';

/** A status change waiting for the agent's yes: one customer by name, or a count of them. */
export interface StatusQuestion {
  action: Exclude<CustomerBulkAction, 'move'>;
  count: number;
  name?: string;
}

export function CustomerStatusConfirm(props: {
  question: StatusQuestion | null;
  onClose: () => void;
  onConfirm: () => void;
  busy: boolean;
  /** The server's refusal, shown in the dialog. */
  error?: unknown;
}) {
  const { t } = useTranslation();
  const { question } = props;
  const deactivate = question?.action !== 'reactivate';
  const values = question && {
    count: question.count,
    formatted: formatNumber(question.count),
    name: question.name,
  };
  const title = !values
    ? ''
    : question.name
      ? t(deactivate ? 'bulk.confirmDeactivateOne' : 'bulk.confirmReactivateOne', values)
      : t(deactivate ? 'bulk.confirmDeactivate' : 'bulk.confirmReactivate', values);
  const explanation = !deactivate
    ? t('bulk.reactivateExplain')
    : question?.name
      ? t('bulk.deactivateExplainOne', { name: question.name })
      : t('bulk.deactivateExplain');
  return (
    <ConfirmModal
      opened={question !== null}
      onClose={props.onClose}
      title={title}
      confirmLabel={deactivate ? t('customers.deactivate') : t('customers.reactivate')}
      onConfirm={props.onConfirm}
      busy={props.busy}
      error={props.error}
    >
      {explanation}
    </ConfirmModal>
  );
}
