// Step 1 of an import: the template to start from, and a drop zone (native drag and drop over a
// styled file input, so the keyboard and screen readers get an ordinary "Choose file" control).
import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconDownload,
  IconFileSpreadsheet,
  IconUpload,
} from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { importsApi, type UploadResult } from '../../api/customer-imports.ts';
import { errorMessage } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { newIdempotencyKey } from './import-labels.ts';

function uploadErrorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.code === 'file_too_large')
      return t('imports.upload.tooLarge', { detail: error.detail });
    const reasons = error.fieldErrorsOf('file');
    if (reasons.length > 0) {
      return t('imports.upload.unreadable', {
        reason: reasons.map((reason) => localizeFieldError(reason, t)).join('; '),
      });
    }
  }
  return errorMessage(error, t);
}

/** Worth sending again (with the same key): the network or the server failed, not the file. */
function retryable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

export function UploadStep({
  onUploaded,
}: {
  onUploaded: (result: UploadResult, file: File) => void;
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // One key per attempt: a retry of the same choice may answer the first upload, never a second.
  const attempt = useRef<{ file: File; key: string } | null>(null);
  const upload = useMutation({
    mutationFn: ({ file, key }: { file: File; key: string }) => importsApi.upload(file, key),
    onSuccess: (result, { file }) => onUploaded(result, file),
  });

  function choose(file: File | undefined) {
    if (!file || upload.isPending) return;
    setNotice(null);
    if (/\.(xlsx|xlsm|xls|ods|numbers)$/i.test(file.name)) {
      setNotice(t('imports.upload.spreadsheet'));
      return;
    }
    attempt.current = { file, key: newIdempotencyKey() };
    upload.mutate(attempt.current);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  }

  const failure = notice ?? (upload.isError ? uploadErrorMessage(upload.error, t) : null);

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" wrap="wrap" gap="md">
          <Group gap="md" wrap="nowrap" style={{ flex: 1, minWidth: 260 }}>
            <ThemeIcon variant="light" size={42} radius="md">
              <IconFileSpreadsheet size={24} />
            </ThemeIcon>
            <div>
              <Title order={2} size="h5">
                {t('imports.upload.templateTitle')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('imports.upload.templateText')}
              </Text>
            </div>
          </Group>
          <Button
            component="a"
            href={importsApi.templateUrl}
            download
            variant="light"
            leftSection={<IconDownload size={16} />}
          >
            {t('imports.upload.template')}
          </Button>
        </Group>
      </Paper>

      <Paper
        radius="md"
        p="xl"
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => event.preventDefault()}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
        onClick={() => !upload.isPending && input.current?.click()}
        bg={dragging ? 'blue.0' : 'white'}
        style={{
          cursor: upload.isPending ? 'progress' : 'pointer',
          border: `2px dashed var(--mantine-color-${dragging ? 'blue-5' : 'gray-4'})`,
          transition: 'background-color 120ms, border-color 120ms',
        }}
      >
        <Stack align="center" gap="sm" py="lg">
          {upload.isPending ? (
            <>
              <Loader />
              <Text fw={500} aria-live="polite">
                {t('imports.upload.reading', { name: attempt.current?.file.name ?? '' })}
              </Text>
            </>
          ) : (
            <>
              <ThemeIcon variant="light" size={56} radius="xl" color={dragging ? 'blue' : 'gray'}>
                <IconUpload size={28} />
              </ThemeIcon>
              <Text fw={600} size="lg">
                {t('imports.upload.drop')}
              </Text>
              <Text size="sm" c="dimmed" ta="center" maw={520}>
                {t('imports.upload.formats')}
              </Text>
              <VisuallyHidden>
                <input
                  ref={input}
                  id={inputId}
                  type="file"
                  accept=".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values"
                  aria-label={t('imports.upload.fileLabel')}
                  tabIndex={-1}
                  onClick={(event) => event.stopPropagation()}
                  onChange={(event) => {
                    choose(event.currentTarget.files?.[0]);
                    event.currentTarget.value = '';
                  }}
                />
              </VisuallyHidden>
              <Button
                mt="xs"
                onClick={(event) => {
                  event.stopPropagation();
                  input.current?.click();
                }}
              >
                {t('imports.upload.choose')}
              </Button>
            </>
          )}
        </Stack>
      </Paper>

      {failure && (
        <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert">
          {failure}
          {retryable(upload.error) && attempt.current && (
            <Anchor
              component="button"
              type="button"
              size="sm"
              ml="xs"
              onClick={() => attempt.current && upload.mutate(attempt.current)}
            >
              {t('app.retry')}
            </Anchor>
          )}
        </Alert>
      )}
    </Stack>
  );
}
