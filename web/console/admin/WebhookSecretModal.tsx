// The signing secret of a webhook endpoint, shown the one time the server answers it (on
// creation and when it is rotated), with a copy button: Kunde never shows it again.
import { useTranslation } from 'react-i18next';
import { ShownOnceModal } from '../../components/ShownOnceModal.tsx';

export function WebhookSecretModal(props: { secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ShownOnceModal
      title={t('webhooks.secretTitle')}
      secret={props.secret}
      warning={t('webhooks.secretOnce')}
      how={t('webhooks.secretHow')}
      testId="webhook-secret"
      onClose={props.onClose}
    />
  );
}
