// Files for a new ticket or a reply: at most HUB_ATTACHMENT_MAX_FILES of HUB_ATTACHMENT_MAX_BYTES
// each (the site says so; the limit is stated under the field and refused here before anything is
// sent, the server refusing the same).
import { FileInput } from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import { formatBytes, useHubT } from '../i18n/index.ts';
import { useSite } from '../session.tsx';

/** What is wrong with `files` for this site, or undefined. */
export function useAttachmentProblem(): (files: File[]) => string | undefined {
  const { t } = useHubT();
  const site = useSite();
  return (files) => {
    if (files.length > site.attachmentMaxFiles) {
      return t('newTicket.tooManyFiles', { files: site.attachmentMaxFiles });
    }
    const tooLarge = files.find((file) => file.size > site.attachmentMaxBytes);
    if (tooLarge) {
      return t('newTicket.fileTooLarge', {
        name: tooLarge.name,
        size: formatBytes(site.attachmentMaxBytes),
      });
    }
    return undefined;
  };
}

export function AttachmentInput(props: {
  files: File[];
  onChange: (files: File[]) => void;
  error?: string;
}) {
  const { t } = useHubT();
  const site = useSite();
  const problem = useAttachmentProblem();
  return (
    <FileInput
      label={t('newTicket.attachments')}
      placeholder={t('newTicket.attachmentsPlaceholder')}
      description={t('newTicket.attachmentLimit', {
        files: site.attachmentMaxFiles,
        size: formatBytes(site.attachmentMaxBytes),
      })}
      leftSection={<IconPaperclip size={16} />}
      multiple
      clearable
      value={props.files}
      error={problem(props.files) ?? props.error}
      onChange={(files) => props.onChange(files)}
    />
  );
}
